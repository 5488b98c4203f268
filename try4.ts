import { startWinRmDouble } from "./tests/support/winrm-double/server.ts";
import { runPowerShell } from "./appliance/src/winrm/run-powershell.ts";
const d = await startWinRmDouble({ hosts: [{ name: "fs01" }, { name: "fs02", https: true }], accounts: [{ domain: "CLINIC", user: "scanner", password: "pw1" }] });
for (const h of d.hosts) {
  const r = await runPowerShell({ host: h.address, port: h.port, https: h.https, ca: d.certificate, username: "CLINIC\\scanner", password: "pw1", script: "Write-Output 'hello'; Write-Output \"world\"; Write-Error 'bad thing'", timeoutMs: 10000 });
  console.log(h.name, JSON.stringify(r), d.stats(h.name), d.openShells(h.name));
}
await d.close();
