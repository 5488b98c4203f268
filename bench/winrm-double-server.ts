/**
 * The WinRM double for bench/winrm-scan, in its own process (so the clients under test never share an event loop
 * with the server): HOSTS fake Windows servers, one per loopback address (BASE.1, BASE.2, … on PORT), all
 * compliant, each answering the real check script from its state (tests/support/winrm-double/compliance-responder).
 * argv: hosts base-prefix port password. Prints one JSON line {hosts: [{name, address, port, url}]} when listening.
 */
import { complianceResponder } from "../tests/support/winrm-double/compliance-responder";
import { startWinRmDouble } from "../tests/support/winrm-double/server";

const [count = "200", prefix = "127.0.1", port = "5985", password = ""] = process.argv.slice(2);
const n = Number(count);
if (!(n >= 1 && n <= 254) || !password) {
  process.stderr.write("usage: winrm-double-server.ts HOSTS(1-254) ADDRESS-PREFIX PORT PASSWORD\n");
  process.exit(2);
}
const double = await startWinRmDouble({
  hosts: Array.from({ length: n }, (_, i) => ({
    name: `srv${String(i + 1).padStart(3, "0")}.clinic.test`,
    address: `${prefix}.${i + 1}`,
    port: Number(port),
    state: "compliant" as const,
  })),
  accounts: [{ domain: "CLINIC", user: "scanner", password }],
  checkScriptResponder: complianceResponder(),
});
process.stdout.write(`${JSON.stringify({ hosts: double.hosts })}\n`);
const stop = () => void double.close().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
