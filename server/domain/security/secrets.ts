import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { getEnv } from "@/server/env";

/**
 * Keyed hash for high-entropy secrets (API tokens, appliance keys, provision codes). A slow password
 * hash buys nothing for a 190+ bit random value and would cap lookup throughput; the key (kept outside
 * the database) means a database dump alone cannot be used to test guesses offline.
 */
export function hashSecret(value: string, purpose: string): string {
  return createHmac("sha256", getEnv().TOKEN_HMAC_KEY).update(`${purpose}\0${value}`).digest("hex");
}

export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

/** URL-safe random string from a CSPRNG. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}
