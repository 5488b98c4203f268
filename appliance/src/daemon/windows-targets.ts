/**
 * The Windows hosts to scan, with their credentials, as the latest check-in delivered them. They live in
 * memory only: each successful answer REPLACES them (never merged, never written anywhere), and log
 * lines name hosts and counts, never a password.
 */
import type { KeyObject } from "node:crypto";
import type { WindowsTargetWire } from "../../../server/contracts";
import type { Secret } from "../crypto/secret";
import { openTargetPassword } from "../crypto/target-password";

/** A Windows host to scan, with its credential. The password is in memory only and prints as "[redacted]". */
export interface WindowsTarget {
  readonly hostname: string;
  /** DOMAIN\user when the credential names a domain. */
  readonly username: string;
  readonly password: Secret;
  readonly use_ssl: boolean;
  readonly port: number;
  readonly transport: "ntlm" | "kerberos" | "basic";
  /** True when the password arrived as sealed_password. */
  readonly sealed: boolean;
}

/** A target this appliance refused to use, as reported to Central Command in the next check-in. */
export interface UnusableTarget {
  hostname: string;
  credential_id?: string;
  reason: string;
}

const UNUSABLE_REASONS = {
  unsealable: "its sealed password did not open (sealed for another appliance or target, or altered)",
  plain: "it came with a plain password; this appliance accepts sealed passwords only",
  missing: "it came without a password",
} as const;

export interface OpenedTargets {
  targets: readonly WindowsTarget[];
  /** Targets whose password could not be opened or was refused: left out of `targets`. */
  unusable: UnusableTarget[];
}

/** The answer's targets with their passwords opened; a target whose password cannot be opened is left out. */
export function openWindowsTargets(
  wires: readonly WindowsTargetWire[],
  privateKey: KeyObject,
  applianceId: string,
): OpenedTargets {
  const targets: WindowsTarget[] = [];
  const unusable: UnusableTarget[] = [];
  for (const wire of wires) {
    const opened = openTargetPassword(wire, privateKey, applianceId);
    if (!opened.ok) {
      unusable.push({
        hostname: wire.hostname,
        ...(wire.credential_id !== undefined ? { credential_id: wire.credential_id } : {}),
        reason: UNUSABLE_REASONS[opened.reason],
      });
      continue;
    }
    targets.push(
      Object.freeze({
        hostname: wire.hostname,
        username: wire.username,
        password: opened.password,
        use_ssl: wire.use_ssl,
        port: wire.port,
        transport: wire.transport,
        sealed: opened.sealed,
      }),
    );
  }
  return { targets: Object.freeze(targets), unusable };
}

/** "Windows targets now N (added a, b; removed c)", or undefined when the set of hosts did not change. */
export function describeTargetChange(
  before: readonly WindowsTarget[],
  after: readonly WindowsTarget[],
): string | undefined {
  const beforeHosts = new Set(before.map((t) => t.hostname));
  const afterHosts = new Set(after.map((t) => t.hostname));
  const added = [...afterHosts].filter((h) => !beforeHosts.has(h));
  const removed = [...beforeHosts].filter((h) => !afterHosts.has(h));
  if (added.length === 0 && removed.length === 0) return undefined;
  const parts = [
    added.length > 0 ? `added ${added.map(printable).join(", ")}` : "",
    removed.length > 0 ? `removed ${removed.map(printable).join(", ")}` : "",
  ].filter((p) => p !== "");
  return `Windows targets now ${after.length} (${parts.join("; ")})`;
}

export function countTargets(n: number): string {
  return `${n} Windows target${n === 1 ? "" : "s"}`;
}

/** A server-supplied string made safe for one log line. */
export function printable(text: string): string {
  const clean = text.replace(/\p{Cc}/gu, "?");
  return clean.length > 253 ? `${clean.slice(0, 253)}…` : clean;
}
