/**
 * bench/checkin: check-in throughput of the full product (production build behind scripts/serve.ts)
 * against the naive baseline (bench/baseline-server.ts), in the same run, with the same load generator.
 * N simulated appliances, each with its own key and a site with 3 credentials (plain passwords, or
 * sealed with BENCH_SEALED=1). Prints both results and their ratio. Needs `next build` first.
 *   npm run bench:checkin   (BENCH_APPLIANCES, BENCH_CONCURRENCY, BENCH_DURATION_S, BENCH_ROUNDS to tune;
 *   BENCH_DB, BENCH_PORT (product; the baseline takes the next port) and BENCH_REDIS_DB let two checkouts
 *   run it side by side)
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import pg from "pg";

const N = Number(process.env.BENCH_APPLIANCES ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const DURATION = Number(process.env.BENCH_DURATION_S ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SEALED = process.env.BENCH_SEALED === "1";
const DB_NAME = process.env.BENCH_DB ?? "osiriscare_bench";
const DB = `postgresql://postgres@127.0.0.1:5432/${DB_NAME}`;
const PORT = Number(process.env.BENCH_PORT ?? 3300);
const REDIS_DB = process.env.BENCH_REDIS_DB ?? "3";
const env = {
  ...process.env,
  NODE_ENV: "production" as const,
  DATABASE_URL: DB,
  REDIS_URL: `redis://127.0.0.1:6379/${REDIS_DB}`,
  QUEUE_PREFIX: "osiris-bench",
  PUBLIC_URL: `http://127.0.0.1:${PORT}`,
  AUTH_SECRET: "bench-auth-secret-0123456789abcdef0123456789",
  TOKEN_HMAC_KEY: "bench-hmac-key-0123456789abcdef0123456789ab",
  CREDENTIALS_KEYRING: JSON.stringify({ current: "b1", keys: { b1: Buffer.alloc(32, 5).toString("base64") } }),
  LOG_LEVEL: "warn",
  NEXT_TELEMETRY_DISABLED: "1",
};
Object.assign(process.env, env);

const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);

async function prepare(): Promise<Array<{ id: string; key: string }>> {
  const { ensureDatabase, migrate } = await import("../scripts/lib/services");
  const admin = new pg.Client({ connectionString: DB.replace(/\/[^/]+$/, "/postgres") });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${DB_NAME}" WITH (FORCE)`);
  await admin.end();
  await ensureDatabase(DB);
  migrate(DB, true);
  spawnSync("redis-cli", ["-n", REDIS_DB, "flushdb"]);

  const { db, disconnectDb } = await import("../server/db");
  const { createPartner } = await import("../server/domain/partners/create-partner");
  const { hashSecret } = await import("../server/domain/security/secrets");
  const { encryptRecord } = await import("../server/domain/security/envelope");
  const { credentialRef } = await import("../server/domain/credentials/site-credentials");
  const { deriveApplianceKeyPair } = await import("../appliance/src/crypto/appliance-key");
  const partner = await createPartner(db(), {
    name: "Bench MSP",
    slug: "bench",
    color: "#123456",
    email: "bench@example.test",
    password: "bench password 123",
  });
  const appliances: Array<{ id: string; key: string }> = [];
  const sites = [];
  const rows = [];
  const creds = [];
  for (let i = 0; i < N; i++) {
    const siteId = `bench-site-${i}`;
    const key = randomBytes(24).toString("base64url");
    const mac =
      `02:00:00:${((i >> 16) & 255).toString(16).padStart(2, "0")}:${((i >> 8) & 255).toString(16).padStart(2, "0")}:${(i & 255).toString(16).padStart(2, "0")}`.toUpperCase();
    const id = `${siteId}-${mac}`;
    sites.push({ id: siteId, partnerId: partner.partner.id, clientName: `Clinic ${i}` });
    rows.push({
      id,
      siteId,
      macAddress: mac,
      hostname: "bench",
      apiKeyHash: hashSecret(key, "appliance-api-key"),
      status: "online" as const,
      lastCheckinAt: new Date(),
      publicKey: SEALED ? deriveApplianceKeyPair(key).publicKeyBase64 : null,
    });
    for (let c = 0; c < 3; c++) {
      const credId = `bench-cred-${i}-${c}`;
      const secret = {
        host: `srv${c}.clinic${i}.local`,
        username: "svc",
        password: `pw-${randomBytes(8).toString("hex")}`,
        domain: "CLINIC",
        use_ssl: false,
      };
      creds.push({
        id: credId,
        siteId,
        credentialType: "winrm" as const,
        credentialName: `Server ${c}`,
        host: secret.host,
        username: "svc",
        domain: "CLINIC",
        useSsl: false,
        ...encryptRecord(credentialRef(siteId, credId), secret),
      });
    }
    appliances.push({ id, key });
  }
  await db().site.createMany({ data: sites });
  await db().appliance.createMany({ data: rows });
  for (let i = 0; i < creds.length; i += 1000) await db().siteCredential.createMany({ data: creds.slice(i, i + 1000) });
  await disconnectDb();
  return appliances;
}

async function waitFor(url: string, init?: RequestInit): Promise<void> {
  for (let i = 0; i < 120; i++) {
    try {
      const res = await fetch(url, init);
      if (res.status < 500) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} did not come up`);
}

function load(
  url: string,
  keysFile: string,
  seconds = DURATION,
): Promise<{ ok: number; errors: number; rps: number; p50: number; p99: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "bench/load.ts", url, keysFile, String(CONCURRENCY), String(seconds)],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.on("exit", (code) =>
      code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`load generator exited ${code}`)),
    );
  });
}

const children: ChildProcess[] = [];
try {
  log(`preparing ${N} appliances × 3 credentials${SEALED ? " (sealed)" : ""}…`);
  const appliances = await prepare();
  mkdirSync("tmp", { recursive: true });
  writeFileSync("tmp/bench-keys.json", JSON.stringify(appliances));
  const body = JSON.stringify({ appliance_id: appliances[0]?.id });
  const headers = { "content-type": "application/json", authorization: `Bearer ${appliances[0]?.key}` };

  children.push(
    spawn(process.execPath, ["--import", "tsx", "bench/baseline-server.ts", String(PORT + 1), DB, env.TOKEN_HMAC_KEY], {
      stdio: "inherit",
      env,
    }),
  );
  children.push(
    spawn(process.execPath, ["--import", "tsx", "scripts/serve.ts", "-p", String(PORT)], { stdio: "inherit", env }),
  );
  await waitFor(`http://127.0.0.1:${PORT + 1}/`, { method: "POST", body, headers });
  await waitFor(`http://127.0.0.1:${PORT}/api/health`);

  const product = `http://127.0.0.1:${PORT}/api/appliances/checkin`;
  const baseline = `http://127.0.0.1:${PORT + 1}/checkin`;
  log("warming up…");
  const warm = await load(product, "tmp/bench-keys.json", 3);
  await load(baseline, "tmp/bench-keys.json", 3);
  // Alternating rounds, so drift on this shared machine (autovacuum, other load) hits both sides alike;
  // the ratio reported is the median of the per-round ratios.
  type Result = Awaited<ReturnType<typeof load>>;
  const rounds: Array<{ base: Result; prod: Result }> = [];
  for (let r = 1; r <= ROUNDS; r++) {
    log(`round ${r}/${ROUNDS}: baseline, then product, ${CONCURRENCY} connections for ${DURATION} s each…`);
    const base = await load(baseline, "tmp/bench-keys.json");
    const prod = await load(product, "tmp/bench-keys.json");
    rounds.push({ base, prod });
  }
  const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.floor(s.length / 2)] as number;
  };
  const pool = (rs: Result[]): Result => ({
    ok: rs.reduce((n, r) => n + r.ok, 0),
    errors: rs.reduce((n, r) => n + r.errors, 0),
    rps: median(rs.map((r) => r.rps)),
    p50: median(rs.map((r) => r.p50)),
    p99: median(rs.map((r) => r.p99)),
  });
  const base = pool(rounds.map((r) => r.base));
  const prod = pool(rounds.map((r) => r.prod));
  const fmt = (r: Result) =>
    `${r.rps.toFixed(0)} check-ins/s, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, errors ${r.errors}`;
  const ratios = rounds.map((r) => r.prod.rps / r.base.rps);
  process.stdout.write(
    `\ncheck-in benchmark: ${N} appliances, 3 credentials each${SEALED ? " (sealed)" : ""}, ${CONCURRENCY} connections, ${ROUNDS} rounds of ${DURATION} s (medians)\n` +
      `  baseline (node:http + pg, 1 write per check-in): ${fmt(base)}\n` +
      `  product  (full check-in, scripts/serve.ts):      ${fmt(prod)}\n` +
      `  ratio product/baseline: throughput ${median(ratios).toFixed(2)} (rounds: ${ratios.map((x) => x.toFixed(2)).join(", ")}), p99 ${(prod.p99 / base.p99).toFixed(2)}\n` +
      `  appliances at a 60 s interval (product): ≈${Math.floor(prod.rps * 60).toLocaleString("en-US")}\n` +
      rounds
        .map(
          (r, i) =>
            `  round ${i + 1}: baseline ${r.base.rps.toFixed(0)}/s p99 ${r.base.p99.toFixed(1)} ms; product ${r.prod.rps.toFixed(0)}/s p99 ${r.prod.p99.toFixed(1)} ms\n`,
        )
        .join(""),
  );
  // Every password the product served has its release in the access log (committed before answering).
  const served = (warm.ok + prod.ok) * 3;
  const client = new pg.Client({ connectionString: DB });
  await client.connect();
  const { rows } = await client.query<{ n: string }>("SELECT COALESCE(sum(count), 0) AS n FROM credential_access");
  await client.end();
  process.stdout.write(`  access log: ${Number(rows[0]?.n)} releases recorded for ${served} passwords served\n`);
} finally {
  for (const c of children) c.kill("SIGTERM");
}
