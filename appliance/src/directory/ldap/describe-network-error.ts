/** Why a connection to a domain controller failed, from the socket error, in plain words. */
const REASONS: Record<string, string> = {
  ECONNREFUSED: "the connection was refused (nothing listens on that port, or a firewall rejects it)",
  ECONNRESET: "the connection was reset by the DC or a firewall",
  ETIMEDOUT: "no answer (a firewall may drop the traffic, or the DC is down)",
  EHOSTUNREACH: "there is no route to the host",
  ENETUNREACH: "the network is unreachable",
  ENOTFOUND: "the name does not resolve in DNS",
  ENODATA: "the name has no address in DNS",
  EAI_AGAIN: "DNS did not answer",
  ESERVFAIL: "DNS failed to answer for the name",
  ETIMEOUT: "DNS did not answer in time",
  EPIPE: "the DC closed the connection",
};

export function networkErrorCode(err: unknown): string | undefined {
  if (typeof err !== "object" || err === null) return undefined;
  const code = (err as { code?: unknown }).code;
  return typeof code === "string" ? code : undefined;
}

/** A short reason ("the connection was refused (...)"), or the error's own message when the code is unknown. */
export function describeNetworkError(err: unknown): string {
  const code = networkErrorCode(err);
  if (code && REASONS[code]) return REASONS[code];
  const message = err instanceof Error ? err.message : String(err);
  if (/timeout|timed out/i.test(message)) return REASONS.ETIMEDOUT ?? message;
  if (/ECONNRESET/.test(message)) return REASONS.ECONNRESET ?? message;
  return code ? `${message} (${code})` : message;
}
