/**
 * Deployed behind a TLS-terminating reverse proxy (the way Central Command is meant to run): a second
 * instance of the real server (scripts/serve.ts, same build and database as the suite's) that trusts
 * 127.0.0.1 as its proxy, and a real HTTPS proxy in front of it with its own certificate (openssl).
 * Over HTTPS the answers carry HSTS and the audit log sees the client's address from X-Forwarded-For.
 * (Plain HTTP without a trusted proxy's word gets no HSTS: e2e/api/security-headers.spec.ts.)
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import pg from "pg";
import { fixtures } from "../fixtures";

const APP_PORT = Number(process.env.E2E_PORT ?? 3100) + 40;
let app: ChildProcess | undefined;
let proxy: https.Server | undefined;
let proxyUrl = "";
let ca = "";

function fetchVia(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const u = new URL(url);
    const req = (u.protocol === "https:" ? https : http).request(
      u,
      { method: init.method ?? "GET", headers: init.headers, ca: u.protocol === "https:" ? ca : undefined },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => {
          body += c;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on("error", reject);
    req.end(init.body);
  });
}

test.beforeAll(async () => {
  test.setTimeout(120_000);
  const dir = mkdtempSync(path.join(tmpdir(), "osiris-tls-"));
  execFileSync("openssl", [
    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1",
    "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
    "-keyout", path.join(dir, "key.pem"), "-out", path.join(dir, "cert.pem"),
  ], { stdio: "ignore" }); // biome-ignore format: one openssl command
  ca = readFileSync(path.join(dir, "cert.pem"), "utf8");

  proxy = https.createServer({ key: readFileSync(path.join(dir, "key.pem")), cert: ca }, (req, res) => {
    // What nginx or Caddy do: the client's address appended, the scheme said.
    const headers = {
      ...req.headers,
      "x-forwarded-for": "198.51.100.23",
      "x-forwarded-proto": "https",
    };
    const upstream = http.request(
      { host: "127.0.0.1", port: APP_PORT, method: req.method, path: req.url, headers },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      },
    );
    upstream.on("error", () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>((r) => proxy?.listen(0, "127.0.0.1", r));
  proxyUrl = `https://127.0.0.1:${(proxy.address() as AddressInfo).port}`;

  const f = fixtures();
  app = spawn(process.execPath, ["--import", "tsx", "scripts/serve.ts", "-p", String(APP_PORT), "-H", "127.0.0.1"], {
    stdio: "ignore",
    env: { ...process.env, ...f.serverEnv, PUBLIC_URL: proxyUrl, TRUSTED_PROXIES: "127.0.0.1" },
  });
  for (let i = 0; i < 120; i++) {
    const up = await fetchVia(`http://127.0.0.1:${APP_PORT}/api/health`).catch(() => null);
    if (up?.status === 200) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error("the second server did not come up");
});

test.afterAll(async () => {
  app?.kill("SIGTERM");
  await new Promise<void>((r) => (proxy ? proxy.close(() => r()) : r()));
});

test("over HTTPS through the proxy: HSTS on pages and API answers, and the client's real address in the audit log", async () => {
  const f = fixtures();
  for (const p of ["/api/health", "/sign-in"]) {
    const res = await fetchVia(`${proxyUrl}${p}`);
    expect(res.status).toBe(200);
    expect(res.headers["strict-transport-security"]).toMatch(/^max-age=\d{7,}; includeSubDomains$/);
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
  }

  const failed = await fetchVia(`${proxyUrl}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: proxyUrl },
    body: JSON.stringify({ email: "nobody-via-proxy@nepa-it.example", password: "not a password" }),
  });
  expect(failed.status).toBe(401);
  const db = new pg.Client({ connectionString: f.databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query<{ ip: string | null }>(
      `SELECT ip FROM audit_events WHERE action = 'user.sign_in_failed' AND metadata->>'reason' = 'unknown_account'
       ORDER BY id DESC LIMIT 1`,
    );
    expect(rows[0]?.ip).toBe("198.51.100.23");
  } finally {
    await db.end();
  }
});
