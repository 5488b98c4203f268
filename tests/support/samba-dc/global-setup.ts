/**
 * Integration global setup for the shared test DC: nothing starts here (the first file that needs the DC starts
 * it with ensureTestDc(), so runs without directory tests pay nothing); the teardown stops it and removes its
 * working directory (the snapshot under tmp/samba-dc/ stays for the next run).
 */
import { rmSync } from "node:fs";
import { stopTestDc, testDcDir } from "./samba-dc";

export default function setup(): () => void {
  return () => {
    stopTestDc();
    rmSync(testDcDir(), { recursive: true, force: true });
  };
}
