import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export interface TempStateDir {
  /** A fresh temporary directory, removed by remove(). */
  root: string;
  /** <root>/msp, not created: provisioning must create it (0700). */
  stateDir: string;
  remove(): void;
}

export function makeTempStateDir(prefix: string): TempStateDir {
  const root = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { root, stateDir: path.join(root, "msp"), remove: () => rmSync(root, { recursive: true, force: true }) };
}
