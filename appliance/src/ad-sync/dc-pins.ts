/**
 * Trust on first use for domain controllers without a partner-supplied CA: the SHA-256 fingerprint of each
 * DC's certificate, kept in `<state dir>/dc-pins.json` (mode 0600, written atomically) as
 * `{ "dc1.clinic.local": "AA:BB:…" }`. A fingerprint is not a secret; the file is 0600 so that only the
 * appliance's user can change what it trusts. An unreadable or malformed file counts as empty (the next
 * enumeration pins again) and is said so once.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { writeFileAtomic } from "../config/write-file-atomic";
import { normalizeFingerprint } from "../directory/ldap/dc-certificate";

export const DC_PINS_FILE_NAME = "dc-pins.json";

const PinsFile = z.record(z.string(), z.string().regex(/^[0-9A-F]{2}(:[0-9A-F]{2}){31}$/));

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

  set(hostname: string, sha256: string): void {
    const pins = { ...this.read(), [hostname.toLowerCase()]: normalizeFingerprint(sha256) };
    writeFileAtomic(this.file, `${JSON.stringify(pins, null, 2)}\n`);
  }
}
