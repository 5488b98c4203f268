import { SCAN_RESULTS_MAX_BODY_BYTES } from "@/server/contracts/compliance";
import { AppError, badRequest } from "@/server/errors";

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
export const ENUMERATION_MAX_BODY_BYTES = 8 * 1024 * 1024;

/** Routes that accept more than 1 MiB declare it here (and in their route() options). */
const LARGER_LIMITS: Array<[pathPrefix: string, bytes: number]> = [
  // A whole AD enumeration of up to 30,000 computers in one post (server/contracts/directory.ts).
  ["/api/appliances/enumeration-results", ENUMERATION_MAX_BODY_BYTES],
  // Up to 5,000 compliance results in one batch (server/contracts/compliance.ts).
  ["/api/appliances/scan-results", SCAN_RESULTS_MAX_BODY_BYTES],
];

/** The largest body any route accepts (next.config.ts's proxy buffer must be larger; a unit test checks it). */
export function largestBodyLimit(): number {
  return Math.max(DEFAULT_MAX_BODY_BYTES, ...LARGER_LIMITS.map(([, bytes]) => bytes));
}

export function bodyLimitFor(path: string): number {
  return LARGER_LIMITS.find(([prefix]) => path.startsWith(prefix))?.[1] ?? DEFAULT_MAX_BODY_BYTES;
}

export function payloadTooLarge(limit: number): AppError {
  return new AppError("PAYLOAD_TOO_LARGE", `Request body is larger than ${Math.floor(limit / 1024)} KiB.`);
}

/** Rejects by Content-Length before reading, then enforces the limit while streaming (chunked bodies). */
export function assertDeclaredSize(contentLength: string | null, limit: number): void {
  const declared = Number(contentLength ?? "0");
  if (Number.isFinite(declared) && declared > limit) throw payloadTooLarge(limit);
}

/**
 * Reads a body as UTF-8 text from any stream of chunks, enforcing the limit while streaming (bodies sent
 * without Content-Length): past it, it stops reading and throws the 413 error. Leaving the loop early
 * returns the iterator, which cancels a web stream; node-bridge passes an iterator that keeps the request open.
 */
export async function readLimitedText(chunks: AsyncIterable<Uint8Array>, limit: number): Promise<string> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of chunks) {
    size += chunk.byteLength;
    if (size > limit) throw payloadTooLarge(limit);
    parts.push(chunk);
  }
  return Buffer.concat(parts).toString("utf8");
}

/** Reads a web Request's body as text, within the limit. */
export async function readRequestText(req: Request, limit: number): Promise<string> {
  return req.body ? readLimitedText(req.body, limit) : "";
}

/** Parses a request body that must be JSON; empty or malformed bodies are a 400 a person can act on. */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === "") throw badRequest("Request body is empty; send a JSON object.");
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest("Request body is not valid JSON.");
  }
}
