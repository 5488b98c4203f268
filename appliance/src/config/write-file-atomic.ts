import { randomBytes } from "node:crypto";
import { chmodSync, closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import path from "node:path";
import { fsyncDirectory } from "./fsync-dir";

/** Mode of every file the appliance writes to its state directory: only its own user reads it. */
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Writes `text` to `file` atomically with mode 0600: a temporary file in the same directory, fsync,
 * rename, then (best effort) fsync of the directory, so a power cut never leaves a half-written file.
 */
export function writeFileAtomic(file: string, text: string): void {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.tmp-${process.pid}-${randomBytes(6).toString("hex")}`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, "wx", PRIVATE_FILE_MODE);
    chmodSync(tmp, PRIVATE_FILE_MODE); // whatever the umask
    const data = Buffer.from(text, "utf8");
    let written = 0;
    while (written < data.length) written += writeSync(fd, data, written, data.length - written);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, file);
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
  fsyncDirectory(dir);
}
