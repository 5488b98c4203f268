/**
 * Small random values (AES-GCM nonces) from a pooled CSPRNG buffer. Under load, one randomBytes(12) call
 * per nonce cost ~25 µs here (the sealed check-in makes three per response); filling 4 KiB at once and
 * slicing is the same CSPRNG output at a fraction of the cost. Node's randomUUID pools the same way.
 */
import { randomBytes, randomFillSync } from "node:crypto";

const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let offset = POOL_BYTES;

/** `n` fresh random bytes, copied out of the pool so no two callers ever share them. */
export function randomFromPool(n: number): Buffer {
  if (n > POOL_BYTES / 4) return randomBytes(n);
  if (offset + n > POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  const out = Buffer.from(pool.subarray(offset, offset + n));
  // Bytes handed out are wiped, so the pool never holds a value that is in use elsewhere.
  pool.fill(0, offset, offset + n);
  offset += n;
  return out;
}
