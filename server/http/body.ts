import { AppError, badRequest } from "@/server/errors";

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** Routes that accept more than 1 MiB declare it here (and in their route() options). */
const LARGER_LIMITS: Array<[pathPrefix: string, bytes: number]> = [];

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

/** Reads a web Request's body as text, enforcing the limit while streaming (bodies without Content-Length). */
export async function readRequestText(req: Request, limit: number): Promise<string> {
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw payloadTooLarge(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
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
