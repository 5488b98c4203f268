/** The appliance's state directory (/var/lib/msp): 0700, owned by the appliance's user. */
import { randomBytes } from "node:crypto";
import { chmodSync, closeSync, mkdirSync, openSync, rmSync } from "node:fs";
import path from "node:path";
import { PRIVATE_FILE_MODE } from "./write-file-atomic";

export const DEFAULT_STATE_DIR = "/var/lib/msp";

const STATE_DIR_MODE = 0o700;

/** Creates the state directory if needed and makes it 0700 (also when it already existed). */
export function ensureStateDir(stateDir: string): string {
  const dir = path.resolve(stateDir);
  mkdirSync(dir, { recursive: true, mode: STATE_DIR_MODE });
  chmodSync(dir, STATE_DIR_MODE);
  return dir;
}

/**
 * Checks, before a code is claimed, that the config can be written: a claimed code cannot be
 * claimed again, so failing after the claim would waste it. Throws with the reason.
 */
export function checkStateDirWritable(stateDir: string): void {
  const dir = ensureStateDir(stateDir);
  const probe = path.join(dir, `.write-test-${process.pid}-${randomBytes(4).toString("hex")}`);
  const fd = openSync(probe, "wx", PRIVATE_FILE_MODE);
  closeSync(fd);
  rmSync(probe, { force: true });
}
