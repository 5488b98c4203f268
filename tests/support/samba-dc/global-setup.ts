/**
 * Integration global setup for the shared test DC: nothing starts here (the first file that needs the DC starts
 * it with ensureTestDc(), so runs without directory tests pay nothing); the teardown stops it.
 */
import { stopTestDc } from "./samba-dc";

export default function setup(): () => void {
  return () => stopTestDc();
}
