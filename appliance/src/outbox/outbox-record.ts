/**
 * One journaled report: what is written to `<state dir>/outbox/<seq>-<kind>.json` and read back at start.
 * The sequence number is 12 zero-padded digits, so the names sort in the order the reports were journaled
 * (first in, first out per kind, across restarts: the next number follows the highest one on disk).
 *
 * A record never holds a secret: assertNoSecrets refuses a body with a secret-looking field before anything is
 * written (a domain password, sealed or not, has no business in a report).
 */
import { z } from "zod";

export const RECORD_VERSION = 1;

export const OutboxRecordFile = z.object({
  v: z.literal(RECORD_VERSION),
  seq: z.number().int().min(0),
  kind: z.string().regex(/^[a-z0-9-]{1,64}$/),
  created_at: z.string(),
  body: z.unknown(),
});
export type OutboxRecordFile = z.infer<typeof OutboxRecordFile>;

/** A record as the outbox holds it: the file's content, its name, and its size on disk. */
export interface OutboxRecord extends OutboxRecordFile {
  /** The file name, `<seq>-<kind>.json`; also the record's id in log lines. */
  id: string;
  bytes: number;
}

/** Why a record was refused by Central Command, kept beside it in outbox/refused/. */
export interface Refusal {
  status?: number;
  error: string;
  at: string;
}

const FILE_NAME = /^(\d{12})-([a-z0-9-]{1,64})\.json$/;

export function recordFileName(seq: number, kind: string): string {
  return `${String(seq).padStart(12, "0")}-${kind}.json`;
}

/** The sequence number in a record's file name, or undefined when the name is not a record's. */
export function recordSeq(fileName: string): number | undefined {
  const m = FILE_NAME.exec(fileName);
  return m ? Number(m[1]) : undefined;
}

export function serializeRecord(seq: number, kind: string, body: unknown, createdAt: Date): string {
  const file: OutboxRecordFile = { v: RECORD_VERSION, seq, kind, created_at: createdAt.toISOString(), body };
  return `${JSON.stringify(file)}\n`;
}

/** Reads a record file's text; throws with the reason when it is not one (a torn write cannot happen: files are renamed into place). */
export function parseRecord(fileName: string, text: string): OutboxRecord {
  const seq = recordSeq(fileName);
  if (seq === undefined) throw new Error(`${fileName} is not an outbox record's name`);
  const parsed = OutboxRecordFile.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`${fileName} is not an outbox record (${parsed.error.issues[0]?.message})`);
  if (parsed.data.seq !== seq || recordFileName(seq, parsed.data.kind) !== fileName) {
    throw new Error(`${fileName} does not match its content (seq ${parsed.data.seq}, kind ${parsed.data.kind})`);
  }
  return { ...parsed.data, id: fileName, bytes: Buffer.byteLength(text) };
}

/** Field names that hold a secret: a name ending in one of these (after dropping case, `_` and `-`). */
const SECRET_NAME_ENDINGS = ["password", "passwd", "secret", "token", "privatekey", "apikey"];
const PRIVATE_KEY_PEM = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;

export class SecretInReportError extends Error {
  constructor(readonly path: string) {
    super(`refusing to journal a report with a secret-looking field (${path}): a report never carries a secret`);
    this.name = "SecretInReportError";
  }
}

/**
 * Throws SecretInReportError when `body` has a field named like a secret (password, sealed_password,
 * client_secret, access_token, private_key, apiKey…) at any depth, or a private key in PEM anywhere. Names
 * that merely start with such a word (`password_max_age`, `token_lifetime`) are settings, not secrets.
 */
export function assertNoSecrets(body: unknown, at = "(body)"): void {
  if (typeof body === "string") {
    if (PRIVATE_KEY_PEM.test(body)) throw new SecretInReportError(at);
    return;
  }
  if (Array.isArray(body)) {
    for (const [i, item] of body.entries()) assertNoSecrets(item, `${at}[${i}]`);
    return;
  }
  if (body !== null && typeof body === "object") {
    for (const [name, value] of Object.entries(body)) {
      const normalized = name.toLowerCase().replace(/[^a-z0-9]/g, "");
      if (SECRET_NAME_ENDINGS.some((end) => normalized.endsWith(end))) throw new SecretInReportError(`${at}.${name}`);
      assertNoSecrets(value, `${at}.${name}`);
    }
  }
}
