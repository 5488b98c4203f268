/**
 * Why a host could not be scanned, in words a technician can act on. The WinRM client's errors (WinRmError)
 * are already worded so; for anything else it reads what Node's sockets put on an error (code, HTTP status,
 * name) before falling back to the error's own text.
 */
export interface ScanFailureContext {
  hostname: string;
  port: number;
  https: boolean;
  timeoutMs: number;
}

function field(err: unknown, key: string): unknown {
  return typeof err === "object" && err !== null ? (err as Record<string, unknown>)[key] : undefined;
}

function causeChain(err: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e = err, depth = 0; e !== undefined && e !== null && depth < 5; e = field(e, "cause"), depth++)
    chain.push(e);
  return chain;
}

export function describeScanFailure(err: unknown, ctx: ScanFailureContext): string {
  const where = `${ctx.hostname}:${ctx.port} (${ctx.https ? "HTTPS" : "HTTP"})`;
  for (const e of causeChain(err)) {
    // The WinRM client's own errors already name the host and what to check, and never carry a secret.
    if (field(e, "name") === "WinRmError" && typeof field(e, "message") === "string")
      return field(e, "message") as string;
    const code = field(e, "code");
    const status = field(e, "status") ?? field(e, "statusCode");
    const name = field(e, "name");
    if (name === "TimeoutError" || code === "ETIMEDOUT" || code === "UND_ERR_CONNECT_TIMEOUT") {
      return `no answer from ${where} within ${Math.round(ctx.timeoutMs / 1000)} s: is the server on and is WinRM allowed through its firewall?`;
    }
    if (code === "ECONNREFUSED") {
      return `WinRM is not listening on ${where} (connection refused): run "winrm quickconfig" on the server or check the port`;
    }
    if (code === "ENOTFOUND" || code === "EAI_AGAIN") {
      return `${ctx.hostname} does not resolve in DNS: check the name or the appliance's DNS server`;
    }
    if (code === "EHOSTUNREACH" || code === "ENETUNREACH")
      return `${where} is unreachable from the appliance (no route)`;
    if (code === "ECONNRESET" || code === "EPIPE") return `${where} closed the connection during the scan`;
    if (typeof code === "string" && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code)) {
      return `the HTTPS certificate of ${where} is not trusted (${code}): use HTTP 5985 with encryption, or trust its CA`;
    }
    if (status === 401) {
      return `the credential was rejected by ${ctx.hostname} (wrong password, locked account, or NTLM refused)`;
    }
    if (status === 403) return `${ctx.hostname} refused the account: it must be an administrator on the server`;
  }
  const message = err instanceof Error ? err.message : String(err);
  return `the scan of ${where} failed: ${message.replace(/\s+/g, " ").slice(0, 200)}`;
}
