/**
 * The scanner's RunScript over the appliance's own WinRM client: NTLM with message encryption on 5985,
 * NTLM over TLS with channel bindings on 5986. The password is revealed only into the NTLM computation.
 */
import { runPowerShell } from "../../winrm/run-powershell";
import type { RunScript } from "./scan-hosts";

export const winrmRunScript: RunScript = (target, script, { signal, timeoutMs }) =>
  runPowerShell({
    host: target.hostname,
    port: target.port,
    https: target.use_ssl,
    username: target.username,
    password: target.password.reveal(),
    script,
    timeoutMs,
    signal,
  });
