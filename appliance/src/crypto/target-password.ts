/**
 * Opens the password of one Windows target from a check-in answer: `sealed_password` with this
 * appliance's private key, bound to this appliance, the target's credential, hostname and username. This
 * appliance registered a public key, so Central Command never sends it a plain `password`: one that
 * arrives anyway (a downgrade) is refused. The result is a Secret, so it cannot reach a log line by accident.
 */
import type { KeyObject } from "node:crypto";
import type { WindowsTargetWire } from "../../../server/contracts";
import { unsealSecret } from "./sealed-box";
import { Secret } from "./secret";

export type OpenedPassword =
  | { ok: true; password: Secret /** True when it arrived as sealed_password. */; sealed: boolean }
  /**
   * unsealable: the envelope did not open (another appliance's or target's, or altered); plain: a plain
   * password where a sealed one was due; missing: neither (the contract rules this out).
   */
  | { ok: false; reason: "unsealable" | "plain" | "missing" };

export function openTargetPassword(
  wire: WindowsTargetWire,
  privateKey: KeyObject,
  applianceId: string,
): OpenedPassword {
  if (wire.sealed_password !== undefined) {
    if (wire.credential_id === undefined) return { ok: false, reason: "unsealable" };
    const binding = {
      applianceId,
      credentialId: wire.credential_id,
      hostname: wire.hostname,
      username: wire.username,
    };
    try {
      return { ok: true, password: new Secret(unsealSecret(wire.sealed_password, privateKey, binding)), sealed: true };
    } catch {
      return { ok: false, reason: "unsealable" };
    }
  }
  if (wire.password !== undefined) return { ok: false, reason: "plain" };
  return { ok: false, reason: "missing" }; // the contract rules this out
}
