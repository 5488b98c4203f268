/**
 * Entry point of the osiris-appliance command (`npm run appliance -- ARGS`, or the bundled bin).
 * See cli/ for the commands; exits 0 on success, 1 on failure, 2 on a usage error.
 */
// First: lets bundled CommonJS dependencies require Node built-ins (see bundle-require.ts).
import "./bundle-require";
import { main } from "./cli/run-cli";

function stopOnSignals(): AbortSignal {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  return controller.signal;
}

main(process.argv.slice(2), process.env, {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  stopSignal: stopOnSignals,
}).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`osiris-appliance: unexpected error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
