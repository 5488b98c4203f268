import { closeSync, fsyncSync, openSync } from "node:fs";

/**
 * fsync of a directory, so a rename, a new file or an unlink in it survives a power cut. Best effort: not every
 * file system supports it, and a failure here must not undo what was already done.
 */
export function fsyncDirectory(dir: string): void {
  try {
    const fd = openSync(dir, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // not supported everywhere
  }
}
