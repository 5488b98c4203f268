/**
 * Why talking to a Windows host failed, in words a technician can act on. Messages never contain the password
 * nor a message body (bodies may carry script output).
 */
export type WinRmErrorKind =
  | "unreachable"
  | "tls"
  | "auth_failed"
  | "timeout"
  | "unencrypted"
  | "protocol"
  | "fault"
  | "script_failed";

export class WinRmError extends Error {
  constructor(
    readonly kind: WinRmErrorKind,
    message: string,
  ) {
    super(message);
    this.name = "WinRmError";
  }
}

/** Maps a socket or TLS error of Node to a WinRmError naming the host and what to check. */
export function describeNetworkError(err: unknown, where: string): WinRmError {
  if (err instanceof WinRmError) return err;
  const code = (err as { code?: string } | null)?.code ?? "";
  const name = (err as { name?: string } | null)?.name ?? "";
  if (name === "AbortError" || name === "TimeoutError" || code === "ABORT_ERR") {
    return new WinRmError("timeout", `${where}: no answer within the time limit for this host`);
  }
  switch (code) {
    case "ECONNREFUSED":
      return new WinRmError("unreachable", `${where}: connection refused (is WinRM enabled and the firewall open?)`);
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return new WinRmError("unreachable", `${where}: the host name does not resolve in DNS`);
    case "EHOSTUNREACH":
    case "ENETUNREACH":
    case "ETIMEDOUT":
      return new WinRmError("unreachable", `${where}: the host cannot be reached on the network`);
    case "ECONNRESET":
    case "EPIPE":
      return new WinRmError("unreachable", `${where}: the connection was closed by the host`);
  }
  if (/CERT|SELF_SIGNED|ERR_TLS|ERR_SSL/.test(code)) {
    return new WinRmError("tls", `${where}: the HTTPS certificate is not trusted (${code})`);
  }
  return new WinRmError("unreachable", `${where}: ${code || (err instanceof Error ? err.message : String(err))}`);
}
