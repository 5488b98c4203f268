/**
 * Opens the password of one Windows target from a check-in answer: `sealed_password` with this
 * appliance's private key, or the plain `password` of the seed's API. The result is a Secret, so it
 * cannot reach a log line by accident.
 */
import type { KeyObject } from "node:crypto";
import type { WindowsTargetWire } from "../../../server/contracts";
import { unsealSecret } from "./sealed-box";
import { Secret } from "./secret";

export type OpenedPassword =
  | { ok: true; password: Secret /** True when it arrived as sealed_password. */; sealed: boolean }
  /** The sealed password could not be opened (another appliance's, or altered), or there was none. */
  | { ok: false; reason: "unsealable" | "missing" };

export function openTargetPassword(
  wire: WindowsTargetWire,
  privateKey: KeyObject,
  applianceId: string,
): OpenedPassword {
  if (wire.sealed_password !== undefined) {
    try {
      return {
        ok: true,
        password: new Secret(unsealSecret(wire.sealed_password, privateKey, applianceId)),
        sealed: true,
      };
    } catch {
      return { ok: false, reason: "unsealable" };
    }
  }
  if (wire.password !== undefined) return { ok: true, password: new Secret(wire.password), sealed: false };
  return { ok: false, reason: "missing" }; // the contract rules this out
}
