/**
 * Master keys for credential envelope encryption. They never live in the database: they come from
 * CREDENTIALS_KEYRING (a deployment) or .var/keyring.json (a local install). Records name the key that
 * wrapped their data key, so `npm run admin -- keys:rotate` can add a key, make it current, and re-wrap
 * every data key while older keys still decrypt whatever has not been re-wrapped yet. A process that meets
 * a key id it does not know re-reads the keyring once, so a rotation needs no restart.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { z } from "zod";
import { getEnv } from "@/server/env";
import { LOCAL_KEYRING_FILE } from "@/server/local-secrets";

const Keyring = z.object({
  current: z.string().min(1),
  keys: z.record(
    z.string(),
    z.string().refine((k) => Buffer.from(k, "base64").length === 32, "each key must be 32 bytes, base64"),
  ),
});
export type KeyringData = z.infer<typeof Keyring>;

let cached: { current: string; keys: Map<string, Buffer>; source: "env" | "file"; loadedAt: number } | undefined;
/** A file keyring is re-read this often, so a rotation's new current key reaches running processes. */
export const FILE_RELOAD_MS = 30_000;

function ring() {
  if (!cached || (cached.source === "file" && Date.now() - cached.loadedAt > FILE_RELOAD_MS)) return load();
  return cached;
}

function load() {
  const env = getEnv().CREDENTIALS_KEYRING;
  let raw: string;
  let source: "env" | "file";
  if (env) {
    raw = env;
    source = "env";
  } else if (existsSync(LOCAL_KEYRING_FILE)) {
    raw = readFileSync(LOCAL_KEYRING_FILE, "utf8");
    source = "file";
  } else {
    throw new Error('No credentials keyring: set CREDENTIALS_KEYRING, or run "npm start" to create .var/keyring.json.');
  }
  const data = Keyring.parse(JSON.parse(raw));
  if (!data.keys[data.current]) throw new Error(`Keyring: current key "${data.current}" is not in keys.`);
  cached = {
    current: data.current,
    keys: new Map(Object.entries(data.keys).map(([id, k]) => [id, Buffer.from(k, "base64")])),
    source,
    loadedAt: Date.now(),
  };
  return cached;
}

export function currentMasterKey(): { id: string; key: Buffer } {
  const r = ring();
  return { id: r.current, key: r.keys.get(r.current) as Buffer };
}

export function masterKey(id: string): Buffer {
  const key = ring().keys.get(id) ?? load().keys.get(id);
  if (!key) throw new Error(`Master key "${id}" is not in the keyring; it may have been retired too early.`);
  return key;
}

export function keyringSource(): "env" | "file" {
  return ring().source;
}

/** Writes a new local keyring (atomically, 0600) and makes this process use it. File keyrings only. */
export function saveLocalKeyring(data: KeyringData): void {
  const tmp = `${LOCAL_KEYRING_FILE}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(Keyring.parse(data), null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, LOCAL_KEYRING_FILE);
  cached = undefined;
}

export function readKeyring(): KeyringData {
  const r = ring();
  return { current: r.current, keys: Object.fromEntries([...r.keys].map(([id, k]) => [id, k.toString("base64")])) };
}

export function resetKeyringCache(): void {
  cached = undefined;
}
