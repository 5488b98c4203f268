import { describe, expect, it } from "vitest";
import type { AppError } from "@/server/errors";
import { assertDeclaredSize, parseJsonBody, readRequestText } from "@/server/http/body";

const readJsonBody = async (req: Request, limit: number) => parseJsonBody(await readRequestText(req, limit));

function post(body: BodyInit | null, headers: Record<string, string> = {}) {
  return new Request("http://x/api/y", { method: "POST", body, headers, duplex: "half" } as RequestInit);
}

async function codeOf(p: Promise<unknown> | (() => void)): Promise<string | undefined> {
  try {
    if (typeof p === "function") p();
    else await p;
  } catch (err) {
    return (err as AppError).code;
  }
  return undefined;
}

describe("request bodies", () => {
  it("parses a JSON object", async () => {
    expect(await readJsonBody(post('{"a":1}'), 1024)).toEqual({ a: 1 });
  });

  it("rejects invalid JSON with 400", async () => {
    expect(await codeOf(readJsonBody(post("{nope"), 1024))).toBe("BAD_REQUEST");
  });

  it("rejects an empty body with 400", async () => {
    expect(await codeOf(readJsonBody(post(""), 1024))).toBe("BAD_REQUEST");
  });

  it("rejects a declared oversized body before reading it", async () => {
    const req = post("x", { "content-length": String(2 * 1024 * 1024) });
    expect(await codeOf(() => assertDeclaredSize(req.headers.get("content-length"), 1024 * 1024))).toBe(
      "PAYLOAD_TOO_LARGE",
    );
  });

  it("rejects an oversized streamed body (no Content-Length) with 413", async () => {
    const chunk = new Uint8Array(64 * 1024);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 20; i++) controller.enqueue(chunk);
        controller.close();
      },
    });
    expect(await codeOf(readJsonBody(post(stream), 1024 * 1024))).toBe("PAYLOAD_TOO_LARGE");
  });
});
