/**
 * What `osiris-appliance run` hands the check-in daemon: compliance scanning is always on in the product, over
 * the appliance's WinRM client, with the OSIRIS_SCAN_* settings; the daemon journals the scans' results in its
 * outbox (the state dir's), so no "scan requested, nothing to do" path is left in the product.
 */
import { describe, expect, it } from "vitest";
import { parseCliArgs } from "../../src/cli/parse-args";
import { checkinDaemonOptions } from "../../src/cli/run-cli";
import { winrmRunScript } from "../../src/compliance/scan/winrm-run-script";

function optionsFor(env: Record<string, string>) {
  // parseCliArgs reads only the OSIRIS_* variables of the environment it is given.
  const cmd = parseCliArgs(["run", "--state-dir", "/tmp/osiris-options"], env as NodeJS.ProcessEnv);
  if (cmd.kind !== "run") throw new Error("expected the run command");
  return checkinDaemonOptions(cmd, { stdout: { write: () => true } as never });
}

describe("the daemon's options from the command line", () => {
  it("always scan over the WinRM client, the results going to the outbox of the state dir", () => {
    const options = optionsFor({});
    expect(options.compliance?.runScript).toBe(winrmRunScript);
    expect(options.compliance?.deliver).toBeUndefined(); // the daemon's outbox delivers
    expect(options.compliance?.concurrency).toBeUndefined();
    expect(options.compliance?.hostTimeoutMs).toBeUndefined();
    expect(options.directory?.stateDir).toBe("/tmp/osiris-options");
  });

  it("take the scan's concurrency and time limit per server from OSIRIS_SCAN_*", () => {
    const options = optionsFor({ OSIRIS_SCAN_CONCURRENCY: "4", OSIRIS_SCAN_HOST_TIMEOUT_S: "20" });
    expect(options.compliance).toMatchObject({ concurrency: 4, hostTimeoutMs: 20_000 });
  });
});
