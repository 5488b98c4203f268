/**
 * The usual per-test setup: a fresh fake Central Command and a fresh temporary state directory, both
 * torn down after the test. Call at the top of a test file; the returned object is refilled before
 * each test.
 */
import { afterEach, beforeEach } from "vitest";
import { type FakeCentralCommand, startFakeCentralCommand } from "./fake-central-command";
import { makeTempStateDir, type TempStateDir } from "./temp-state-dir";

export interface TestEnvironment {
  fake: FakeCentralCommand;
  /** The temporary root (removed afterwards) and <root>/msp, which does not exist yet. */
  root: string;
  stateDir: string;
}

export function freshEnvironmentPerTest(tempPrefix: string): TestEnvironment {
  const env = {} as TestEnvironment;
  let dirs: TempStateDir | undefined;
  beforeEach(async () => {
    env.fake = await startFakeCentralCommand();
    dirs = makeTempStateDir(tempPrefix);
    env.root = dirs.root;
    env.stateDir = dirs.stateDir;
  });
  afterEach(async () => {
    await env.fake.close();
    dirs?.remove();
  });
  return env;
}
