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

export interface OpenedTargets {
  targets: readonly WindowsTarget[];
  /** Hosts whose sealed password could not be opened: left out of `targets`. */
  unsealable: string[];
}

/** The answer's targets with their passwords opened; a target whose password cannot be opened is left out. */
export function openWindowsTargets(
  wires: readonly WindowsTargetWire[],
  privateKey: KeyObject,
  applianceId: string,
): OpenedTargets {
  const targets: WindowsTarget[] = [];
  const unsealable: string[] = [];
  for (const wire of wires) {
    const opened = openTargetPassword(wire, privateKey, applianceId);
    if (!opened.ok) {
      if (opened.reason === "unsealable") unsealable.push(wire.hostname);
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
  return { targets: Object.freeze(targets), unsealable };
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
