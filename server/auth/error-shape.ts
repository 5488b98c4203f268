/**
 * better-auth answers errors as `{ message, code }`. Our API promises `{ error }` on every 4xx/5xx, so
 * the message is copied into `error` (its own fields stay, which its client reads).
 */
export async function withErrorField(res: Response): Promise<Response> {
  if (res.status < 400 || !res.headers.get("content-type")?.includes("application/json")) return res;
  const body = (await res
    .clone()
    .json()
    .catch(() => null)) as Record<string, unknown> | null;
  if (!body || typeof body !== "object" || "error" in body) return res;
  const message = typeof body.message === "string" && body.message ? body.message : "Request failed.";
  const headers = new Headers(res.headers);
  headers.delete("content-length");
  return new Response(JSON.stringify({ error: message, ...body }), { status: res.status, headers });
}
