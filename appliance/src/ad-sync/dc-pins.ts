/**
 * Pins for domain controllers without a partner-supplied CA: the SHA-256 fingerprint of each DC's certificate,
 * kept in `<state dir>/dc-pins.json` (mode 0600, written atomically) as `{ "dc1.clinic.local": "AA:BB:…" }`.
 * Trust order per DC: the partner's CA, else Central Command's pin (the release's dc_certificates, written over
 * this file's pin before each enumeration), else this file's pin, else first use (which pins here). A
 * fingerprint is not a secret; the file is 0600 so that only the appliance's user can change what it trusts.
 * An unreadable or malformed file counts as empty (the next enumeration pins again) and is said so once.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { writeFileAtomic } from "../config/write-file-atomic";
import { normalizeFingerprint } from "../directory/ldap/dc-certificate";

export const DC_PINS_FILE_NAME = "dc-pins.json";

const PIN = /^[0-9A-F]{2}(:[0-9A-F]{2}){31}$/;
const PinsFile = z.record(z.string(), z.string().regex(PIN));

export class DcPins {
  readonly file: string;
  readonly #log: (line: string) => void;

  constructor(stateDir: string, log: (line: string) => void = () => {}) {
    this.file = path.join(stateDir, DC_PINS_FILE_NAME);
    this.#log = log;
  }

  /** Every pin, by lower-case DC host name. */
  read(): Record<string, string> {
    let text: string;
    try {
      text = readFileSync(this.file, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") this.#log(`cannot read ${this.file}: ${String(err)}`);
      return {};
    }
    try {
      return PinsFile.parse(JSON.parse(text));
    } catch {
      this.#log(`ignoring ${this.file}: not a JSON object of host name → SHA-256 fingerprint`);
      return {};
    }
  }

  get(hostname: string): string | undefined {
    return this.read()[hostname.toLowerCase()];
  }

  /**
   * Central Command's pins (the partner's decisions: accepted certificates, or a first use it recorded) win
   * over this file's pin for the same DC; pins of DCs it does not list stay. Writes only on a change; returns
   * the DCs whose pin changed.
   */
  applyServerPins(pins: ReadonlyArray<{ hostname: string; sha256: string }>): string[] {
    const current = this.read();
    const next = { ...current };
    const changed: string[] = [];
    for (const pin of pins) {
      const hostname = pin.hostname.toLowerCase();
      const sha256 = normalizeFingerprint(pin.sha256);
      if (!PIN.test(sha256) || next[hostname] === sha256) continue;
      next[hostname] = sha256;
      changed.push(hostname);
    }
    if (changed.length > 0) writeFileAtomic(this.file, `${JSON.stringify(next, null, 2)}\n`);
    return changed;
  }

  set(hostname: string, sha256: string): void {
    const pins = { ...this.read(), [hostname.toLowerCase()]: normalizeFingerprint(sha256) };
    writeFileAtomic(this.file, `${JSON.stringify(pins, null, 2)}\n`);
  }
}
