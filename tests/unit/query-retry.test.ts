import { describe, expect, it } from "vitest";
import { shouldRetry } from "@/app/lib/query-retry";

const trpcError = (code: string, httpStatus: number) => ({ message: code, data: { code, httpStatus } });

describe("shouldRetry (react-query's retry for tRPC queries)", () => {
  it.each([
    ["NOT_FOUND", 404],
    ["FORBIDDEN", 403],
    ["UNAUTHORIZED", 401],
    ["BAD_REQUEST", 400],
  ])("never retries %s", (code, status) => {
    expect(shouldRetry(0, trpcError(code, status))).toBe(false);
  });

  it("never retries another 4xx by its status, but does retry 408 and 429", () => {
    expect(shouldRetry(0, { data: { httpStatus: 410 } })).toBe(false);
    expect(shouldRetry(0, trpcError("TIMEOUT", 408))).toBe(true);
    expect(shouldRetry(0, trpcError("TOO_MANY_REQUESTS", 429))).toBe(true);
  });

  it("retries a server error or a network failure twice, then gives up", () => {
    const serverError = trpcError("INTERNAL_SERVER_ERROR", 500);
    expect(shouldRetry(0, serverError)).toBe(true);
    expect(shouldRetry(1, serverError)).toBe(true);
    expect(shouldRetry(2, serverError)).toBe(false);
    const network = new TypeError("Failed to fetch");
    expect(shouldRetry(0, network)).toBe(true);
    expect(shouldRetry(2, network)).toBe(false);
  });
});
