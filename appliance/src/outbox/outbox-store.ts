/**
 * The outbox's files: one file per report in `<state dir>/outbox/` (0700), each 0600 and written atomically
 * (temporary file, fsync, rename, fsync of the directory: writeFileAtomic), deleted with an fsync of the
 * directory, so after a power cut or a SIGKILL a report is either whole on disk or was never journaled.
 * Refused reports move to `outbox/refused/`, which keeps only the newest few (by count and by bytes).
 *
 * Only the outbox (outbox.ts) calls this; it holds no state besides the directory.
 */
import { chmodSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { fsyncDirectory } from "../config/fsync-dir";
import { writeFileAtomic } from "../config/write-file-atomic";
import {
  type OutboxRecord,
  parseRecord,
  type Refusal,
  recordFileName,
  recordSeq,
  serializeRecord,
} from "./outbox-record";

export const OUTBOX_DIR_NAME = "outbox";
export const REFUSED_DIR_NAME = "refused";
const DIR_MODE = 0o700;

export interface LoadedOutbox {
  /** Every readable record, oldest first. */
  records: OutboxRecord[];
  /** The sequence number the next record gets. */
  nextSeq: number;
  /** Files that were not records (moved to refused/), with the reason. */
  unreadable: { file: string; reason: string }[];
}

function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: DIR_MODE });
  chmodSync(dir, DIR_MODE);
}

export class OutboxStore {
  readonly dir: string;
  readonly refusedDir: string;

  constructor(stateDir: string) {
    this.dir = path.join(stateDir, OUTBOX_DIR_NAME);
    this.refusedDir = path.join(this.dir, REFUSED_DIR_NAME);
    ensurePrivateDir(this.dir);
    ensurePrivateDir(this.refusedDir);
  }

  /** Reads what is journaled (at start): leftover temporary files are removed, unreadable files set aside. */
  load(): LoadedOutbox {
    const records: OutboxRecord[] = [];
    const unreadable: LoadedOutbox["unreadable"] = [];
    let maxSeq = -1;
    for (const name of readdirSync(this.refusedDir)) maxSeq = Math.max(maxSeq, recordSeq(name) ?? -1);
    for (const entry of readdirSync(this.dir, { withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const file = path.join(this.dir, entry.name);
      if (entry.name.startsWith(".")) {
        rmSync(file, { force: true }); // a write that never reached its rename: never journaled
        continue;
      }
      try {
        const record = parseRecord(entry.name, readFileSync(file, "utf8"));
        records.push(record);
        maxSeq = Math.max(maxSeq, record.seq);
      } catch (err) {
        unreadable.push({ file: entry.name, reason: err instanceof Error ? err.message : String(err) });
        maxSeq = Math.max(maxSeq, recordSeq(entry.name) ?? -1);
        renameSync(file, path.join(this.refusedDir, `unreadable-${entry.name}`));
      }
    }
    fsyncDirectory(this.dir);
    records.sort((a, b) => a.seq - b.seq);
    return { records, nextSeq: maxSeq + 1, unreadable };
  }

  /** Journals one report; returns it once it is durable. */
  write(seq: number, kind: string, body: unknown, createdAt: Date): OutboxRecord {
    const id = recordFileName(seq, kind);
    const text = serializeRecord(seq, kind, body, createdAt);
    writeFileAtomic(path.join(this.dir, id), text);
    return { v: 1, seq, kind, created_at: createdAt.toISOString(), body, id, bytes: Buffer.byteLength(text) };
  }

  /** Deletes a record (delivered, replaced or dropped); a record already gone is fine. */
  remove(record: OutboxRecord): void {
    rmSync(path.join(this.dir, record.id), { force: true });
    fsyncDirectory(this.dir);
  }

  /** Moves a refused record to refused/ with the refusal beside it, then prunes refused/. */
  refuse(record: OutboxRecord, refusal: Refusal, keep: { files: number; bytes: number }): void {
    const { id, bytes: _bytes, ...file } = record;
    writeFileAtomic(path.join(this.refusedDir, id), `${JSON.stringify({ ...file, refused: refusal })}\n`);
    this.remove(record);
    this.pruneRefused(keep);
  }

  /** Keeps the newest refused records, at most `files` of them and `bytes` together; deletes the older ones. */
  pruneRefused(keep: { files: number; bytes: number }): void {
    const entries = readdirSync(this.refusedDir)
      .filter((name) => !name.startsWith("."))
      .map((name) => ({ name, seq: recordSeq(name.replace(/^unreadable-/, "")) ?? -1 }))
      .sort((a, b) => b.seq - a.seq || b.name.localeCompare(a.name));
    let files = 0;
    let bytes = 0;
    let removed = false;
    let full = false;
    for (const { name } of entries) {
      const file = path.join(this.refusedDir, name);
      const size = statSync(file).size;
      if (!full && files < keep.files && bytes + size <= keep.bytes) {
        files += 1;
        bytes += size;
        continue;
      }
      full = true; // everything older than the first that does not fit goes too
      rmSync(file, { force: true });
      removed = true;
    }
    if (removed) fsyncDirectory(this.refusedDir);
  }
}
