/**
 * `npm run winrm-double -- --port 5985 --user 'CLINIC\scanner' --password PW [--https-port 5986] [--address A]
 *  [--host NAME] [--state compliant|non_compliant|unreadable|slow|wrong_password]`
 * Starts the WinRM test double by hand and prints the endpoints (pywinrm or the appliance's client can try it).
 * --address and --port may be repeated to serve several fake hosts from one process.
 */
import { parseArgs } from "node:util";
import { HOST_STATES, type HostState } from "./script-runner.ts";
import { type FakeHostSpec, startWinRmDouble } from "./server.ts";

const { values } = parseArgs({
  options: {
    port: { type: "string", multiple: true },
    "https-port": { type: "string", multiple: true },
    address: { type: "string", multiple: true },
    host: { type: "string" },
    user: { type: "string" },
    password: { type: "string" },
    state: { type: "string" },
  },
});

function fail(message: string): never {
  process.stderr.write(`winrm-double: ${message}\n`);
  process.exit(2);
}

const [domain, user] = (values.user ?? "").includes("\\") ? (values.user ?? "").split("\\", 2) : ["", values.user];
if (!user || !values.password) fail("--user 'DOMAIN\\user' and --password are required");
const state = (values.state ?? "compliant") as HostState;
if (!HOST_STATES.includes(state)) fail(`--state must be one of ${HOST_STATES.join(", ")}`);
const addresses = values.address ?? ["127.0.0.1"];
const ports = (values.port ?? []).map(Number);
const httpsPorts = (values["https-port"] ?? []).map(Number);
if (ports.length + httpsPorts.length === 0) fail("give at least one --port or --https-port");

const hosts: FakeHostSpec[] = addresses.flatMap((address, a) => [
  ...ports.map((port, i) => ({ name: `${values.host ?? "host"}-${a}-${i}`, address, port, state })),
  ...httpsPorts.map((port, i) => ({ name: `${values.host ?? "host"}-${a}-s${i}`, address, port, https: true, state })),
]);
const double = await startWinRmDouble({ hosts, accounts: [{ domain: domain ?? "", user, password: values.password }] });
for (const h of double.hosts) process.stdout.write(`${h.name}\t${h.url}\n`);
if (httpsPorts.length > 0) process.stdout.write(`HTTPS certificate (trust it as the CA):\n${double.certificate}`);
process.stdout.write("WinRM double running; Ctrl-C to stop.\n");
const stop = () => void double.close().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
