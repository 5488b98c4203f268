/**
 * Secrets for a local install: generated once into .var/secrets.json (mode 0600) by `npm start` or
 * `npm run admin`, so the web server, worker and CLI all hash tokens with the same key. A deployment
 * sets the same names in the environment instead, which always wins.
 */
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export const LOCAL_SECRET_NAMES = ["AUTH_SECRET", "TOKEN_HMAC_KEY"] as const;
export type LocalSecrets = Record<(typeof LOCAL_SECRET_NAMES)[number], string>;

/** Relative to the project root, where every entry point (next, worker, CLI) runs. */
export const LOCAL_STATE_DIR = path.resolve(".var");
const SECRETS_FILE = path.join(LOCAL_STATE_DIR, "secrets.json");
/** The credentials master-key ring (see server/domain/security/keyring.ts). */
export const LOCAL_KEYRING_FILE = path.join(LOCAL_STATE_DIR, "keyring.json");

export function readLocalSecrets(): Partial<LocalSecrets> {
  const file = SECRETS_FILE;
  if (!existsSync(file)) return {};
  return JSON.parse(readFileSync(file, "utf8")) as Partial<LocalSecrets>;
}

/** Creates any missing local secret. Idempotent; never overwrites an existing one. */
export function ensureLocalSecrets(): void {
  mkdirSync(LOCAL_STATE_DIR, { recursive: true, mode: 0o700 });
  if (!existsSync(LOCAL_KEYRING_FILE)) {
    const keyring = { current: "k1", keys: { k1: randomBytes(32).toString("base64") } };
    writeFileSync(LOCAL_KEYRING_FILE, `${JSON.stringify(keyring, null, 2)}\n`, { mode: 0o600 });
  }
  const current = readLocalSecrets();
  const missing = LOCAL_SECRET_NAMES.filter((name) => !current[name]);
  if (missing.length === 0) return;
  for (const name of missing) current[name] = randomBytes(32).toString("base64url");
  writeFileSync(SECRETS_FILE, `${JSON.stringify(current, null, 2)}\n`, { mode: 0o600 });
  chmodSync(SECRETS_FILE, 0o600);
}
