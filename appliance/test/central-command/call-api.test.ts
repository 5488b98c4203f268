/**
 * callApi's contract: it never throws. Each case below used to throw (or would, without the checks in
 * call-api.ts) and must come back as a typed ApiFailure instead.
 */
import { afterEach, describe, expect, it } from "vitest";
import { describeFailure } from "../../src/central-command/api-failure";
import { apiUrl, callApi, parseRetryAfter } from "../../src/central-command/call-api";
import { ENDPOINTS, KEY_REJECTED_MESSAGE } from "../../src/central-command/endpoints";
import { closedPort, startHttpServer, type TestServer } from "../support/http-server";

const APPLIANCE_ID = "partner-clinic-abc123-84:3A:5B:91:B6:61";
const API_KEY = "k".repeat(32);

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A server that answers every request with this status, content type and raw body, recording the paths. */
async function answering(status: number, body: string, contentType = "application/json") {
  const paths: string[] = [];
  server = await startHttpServer((req, res) => {
    paths.push(req.url ?? "");
    res.writeHead(status, { "content-type": contentType });
    res.end(body);
  });
  return { url: server.url, paths };
}

const okBody = JSON.stringify({ status: "ok", server_time: "2026-01-04T15:30:00.000Z" });

describe("callApi never throws", () => {
  it("returns the validated answer when everything is right", async () => {
    const { url, paths } = await answering(200, okBody);
    const result = await callApi(
      ENDPOINTS.heartbeat,
      { appliance_id: APPLIANCE_ID },
      { apiEndpoint: url, apiKey: API_KEY },
    );
    expect(result).toEqual({ ok: true, data: { status: "ok", server_time: "2026-01-04T15:30:00.000Z" } });
    expect(paths).toEqual(["/api/provision/heartbeat"]);
  });

  it("a 200 answer that is not JSON is an invalid-response failure", async () => {
    const { url } = await answering(200, "<html>proxy login</html>", "text/html");
    const result = await callApi(
      ENDPOINTS.heartbeat,
      { appliance_id: APPLIANCE_ID },
      { apiEndpoint: url, apiKey: API_KEY },
    );
    expect(result).toEqual({
      ok: false,
      failure: { kind: "invalid-response", status: 200, message: "Unexpected response from server: not JSON" },
    });
  });

  it("a 200 answer that breaks the contract is an invalid-response failure naming the field", async () => {
    const { url } = await answering(200, JSON.stringify({ status: "ok", server_time: "yesterday" }));
    const result = await callApi(
      ENDPOINTS.provisionStatus,
      { appliance_id: APPLIANCE_ID, status: "ready" },
      {
        apiEndpoint: url,
        apiKey: API_KEY,
      },
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.failure.kind).toBe("invalid-response");
    expect(result.failure.message).toMatch(/^Unexpected response from server: server_time: /);
  });

  it("a request that breaks its contract is refused before anything is sent (status and heartbeat used to throw)", async () => {
    const { url, paths } = await answering(200, okBody);
    const bogus = { appliance_id: "", status: "finished" } as never;
    const status = await callApi(ENDPOINTS.provisionStatus, bogus, { apiEndpoint: url, apiKey: API_KEY });
    expect(status.ok).toBe(false);
    if (!status.ok) {
      expect(status.failure.kind).toBe("invalid-request");
      expect(status.failure.message).toMatch(/^Invalid status request: appliance_id: .*; status: /);
    }
    const heartbeat = await callApi(ENDPOINTS.heartbeat, { appliance_id: "" }, { apiEndpoint: url, apiKey: API_KEY });
    expect(heartbeat.ok).toBe(false);
    if (!heartbeat.ok) expect(heartbeat.failure.message).toMatch(/^Invalid heartbeat request: appliance_id/);
    const nothing = await callApi(ENDPOINTS.checkin, undefined as never, { apiEndpoint: url, apiKey: API_KEY });
    expect(nothing.ok).toBe(false);
    if (!nothing.ok) expect(nothing.failure.message).toMatch(/^Invalid check-in request: \(body\): /);
    expect(paths).toEqual([]);
  });

  it("an authenticated endpoint without the appliance key is refused before anything is sent", async () => {
    const { url, paths } = await answering(200, okBody);
    const result = await callApi(ENDPOINTS.heartbeat, { appliance_id: APPLIANCE_ID }, { apiEndpoint: url });
    expect(result).toEqual({
      ok: false,
      failure: { kind: "invalid-request", message: "The heartbeat request needs the appliance key" },
    });
    expect(paths).toEqual([]);
  });

  it("an unusable endpoint URL or timeout is a failure, not an exception", async () => {
    for (const apiEndpoint of ["not a url", "ftp://example.com", ""]) {
      const result = await callApi(
        ENDPOINTS.heartbeat,
        { appliance_id: APPLIANCE_ID },
        { apiEndpoint, apiKey: API_KEY },
      );
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.failure).toMatchObject({ kind: "network", message: "Failed to connect to server" });
    }
    const port = await closedPort();
    for (const timeoutMs of [Number.NaN, -5, Number.POSITIVE_INFINITY]) {
      const result = await callApi(
        ENDPOINTS.heartbeat,
        { appliance_id: APPLIANCE_ID },
        {
          apiEndpoint: `http://127.0.0.1:${port}`,
          apiKey: API_KEY,
          timeoutMs,
        },
      );
      expect(result.ok).toBe(false);
      if (!result.ok) expect(["network", "timeout"]).toContain(result.failure.kind);
    }
  });

  it("an HTTP error carries the seed's text for the endpoint, else the server's, else the status", async () => {
    let { url } = await answering(404, JSON.stringify({ error: "no such code here" }));
    const validate = await callApi(ENDPOINTS.validate, { code: "ABCD1234EFGH5678" }, { apiEndpoint: url });
    expect(validate).toEqual({ ok: false, failure: { kind: "http", status: 404, message: "Invalid provision code" } });
    await server?.close();

    ({ url } = await answering(401, JSON.stringify({ error: "Invalid appliance key" })));
    const checkin = await callApi(
      ENDPOINTS.checkin,
      { appliance_id: APPLIANCE_ID, agent_version: "0.1.0" },
      {
        apiEndpoint: url,
        apiKey: API_KEY,
      },
    );
    expect(checkin).toEqual({ ok: false, failure: { kind: "http", status: 401, message: KEY_REJECTED_MESSAGE } });
    const status = await callApi(
      ENDPOINTS.provisionStatus,
      { appliance_id: APPLIANCE_ID, status: "ready" },
      {
        apiEndpoint: url,
        apiKey: API_KEY,
      },
    );
    expect(status).toEqual({ ok: false, failure: { kind: "http", status: 401, message: "Invalid appliance key" } });
    await server?.close();

    ({ url } = await answering(500, "oops", "text/plain"));
    const bare = await callApi(
      ENDPOINTS.heartbeat,
      { appliance_id: APPLIANCE_ID },
      { apiEndpoint: url, apiKey: API_KEY },
    );
    expect(bare).toEqual({ ok: false, failure: { kind: "http", status: 500, message: "Server answered HTTP 500" } });
  });

  it("sends the key only to authenticated endpoints", async () => {
    const seen: (string | undefined)[] = [];
    server = await startHttpServer((req, res) => {
      seen.push(req.headers.authorization);
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: "x" }));
    });
    await callApi(ENDPOINTS.validate, { code: "ABCD1234EFGH5678" }, { apiEndpoint: server.url, apiKey: API_KEY });
    await callApi(ENDPOINTS.heartbeat, { appliance_id: APPLIANCE_ID }, { apiEndpoint: server.url, apiKey: API_KEY });
    expect(seen).toEqual([undefined, `Bearer ${API_KEY}`]);
  });
});

describe("helpers", () => {
  it("apiUrl keeps a path prefix and refuses non-HTTP URLs", () => {
    expect(apiUrl("https://cc.example/central/", "/api/x").href).toBe("https://cc.example/central/api/x");
    expect(() => apiUrl("ftp://cc.example", "/api/x")).toThrow(TypeError);
  });

  it("parseRetryAfter reads seconds and HTTP dates", () => {
    expect(parseRetryAfter("42")).toBe(42);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 0)).toBe(10);
    expect(parseRetryAfter("soon")).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });

  it("describeFailure adds the status, Retry-After and network detail", () => {
    expect(describeFailure({ kind: "http", status: 429, message: "Slow down", retryAfterSeconds: 3 })).toBe(
      "Slow down (HTTP 429); try again in 3 s",
    );
    expect(describeFailure({ kind: "network", message: "Failed to connect to server", detail: "ECONNREFUSED" })).toBe(
      "Failed to connect to server (ECONNREFUSED)",
    );
  });
});
