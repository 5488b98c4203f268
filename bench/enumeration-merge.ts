/**
 * bench/enumeration-merge: the merge of a big Active Directory enumeration (default 50,000 computers: 2,500
 * servers, 47,500 workstations) by the product's own code, beside a bare `INSERT … ON CONFLICT` of the same
 * rows in the same process (the floor: one unnest statement, no JSON, no provenance, no change detection).
 * Prints the intake (the run posted in chunks through the service), the first merge (every row
 * new), a second run of the same computers (nothing changes but last-seen) and a third where 10 % changed and
 * 1 % vanished, each beside the baseline, with ratios. Goal: a 50,000-computer merge within 5 s.
 *   npm run bench:enumeration-merge   (BENCH_COMPUTERS, BENCH_CHUNK (computers per post, default 5,000), BENCH_DB)
 */
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import pg from "pg";

const TOTAL = Number(process.env.BENCH_COMPUTERS ?? 50_000);
const SERVERS = Math.round(TOTAL * 0.05);
/** Computers per post: an appliance chunks a big run (at most MAX_COMPUTERS_PER_POST per post). */
const CHUNK = Number(process.env.BENCH_CHUNK ?? 5_000);
const DB_NAME = process.env.BENCH_DB ?? "osiriscare_bench_enum";
const DB = `postgresql://postgres@127.0.0.1:5432/${DB_NAME}`;
Object.assign(process.env, {
  DATABASE_URL: DB,
  REDIS_URL: process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379/3",
  AUTH_SECRET: "bench-auth-secret-0123456789abcdef0123456789",
  TOKEN_HMAC_KEY: "bench-hmac-key-0123456789abcdef0123456789ab",
  CREDENTIALS_KEYRING: JSON.stringify({ current: "b1", keys: { b1: Buffer.alloc(32, 5).toString("base64") } }),
  LOG_LEVEL: "warn",
});

const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);

const { ensureDatabase, migrate } = await import("@/scripts/lib/services");
const { db, disconnectDb } = await import("@/server/db");
const { closePgPool } = await import("@/server/db-pg");
const { MAX_COMPUTERS_PER_POST } = await import("@/server/contracts");
const { setDomainCredential } = await import("@/server/domain/directory/domain-credential");
const { receiveEnumerationResults } = await import("@/server/domain/directory/receive-enumeration");
const { mergeEnumerationRun } = await import("@/server/domain/directory/merge-enumeration-run");

await ensureDatabase(DB);
migrate(DB, true);

type Computer = {
  hostname: string;
  name: string;
  os: string;
  os_version: string;
  distinguished_name: string;
  enabled: boolean;
  last_logon: string;
  is_domain_controller?: boolean;
  winrm_reachable?: boolean;
};

function computers(variant: number): { servers: Computer[]; workstations: Computer[] } {
  const make = (i: number, server: boolean): Computer => {
    const name = server ? `SRV${i}` : `WS${i}`;
    const changed = variant === 2 && i % 10 === 0;
    return {
      hostname: `${name.toLowerCase()}.clinic.bench`,
      name,
      os: server ? "Windows Server 2022 Standard" : changed ? "Windows 11 Enterprise" : "Windows 11 Pro",
      os_version: "10.0 (22631)",
      distinguished_name: `CN=${name},OU=${server ? "Servers" : `Floor${i % 7}`},OU=Clinic,DC=clinic,DC=bench`,
      enabled: i % 97 !== 0,
      last_logon: new Date(Date.UTC(2026, 10, 1 + (i % 28))).toISOString(),
      ...(server ? { is_domain_controller: i < 2, winrm_reachable: i % 5 !== 0 } : {}),
    };
  };
  const keep = (i: number) => variant !== 2 || i % 100 !== 1; // the third run: 1 % vanished
  return {
    servers: Array.from({ length: SERVERS }, (_, i) => i)
      .filter(keep)
      .map((i) => make(i, true)),
    workstations: Array.from({ length: TOTAL - SERVERS }, (_, i) => i)
      .filter(keep)
      .map((i) => make(i, false)),
  };
}

// A partner, site and appliance, and the domain credential (so the first run approves its servers).
const slug = `bench-${randomBytes(3).toString("hex")}`;
const partner = await db().partner.create({ data: { slug, brandName: slug, primaryColor: "#2563EB" } });
const siteId = `${slug}-site`;
await db().site.create({ data: { id: siteId, partnerId: partner.id, clientName: "Bench clinic" } });
const appliance = await db().appliance.create({
  data: {
    id: `${siteId}-AA:BB:CC:DD:EE:FF`,
    siteId,
    macAddress: "AA:BB:CC:DD:EE:FF",
    hostname: "bench",
    apiKeyHash: randomBytes(32).toString("hex"),
  },
});
await setDomainCredential(
  db(),
  partner.id,
  siteId,
  { domain: "clinic.bench", username: "bench", password: "bench" },
  { actorType: "system" },
);
const principal = {
  kind: "appliance" as const,
  applianceId: appliance.id,
  siteId,
  partnerId: partner.id,
  apiKeyHash: appliance.apiKeyHash,
};

async function intake(variant: number): Promise<{ runId: string; ms: number }> {
  const { servers, workstations } = computers(variant);
  const all = [...servers.map((c) => ["s", c] as const), ...workstations.map((c) => ["w", c] as const)];
  const runId = `bench-run-${variant}-${randomBytes(4).toString("hex")}`;
  const enumeratedAt = new Date(Date.UTC(2026, 11, 1, variant)).toISOString();
  const size = Math.min(CHUNK, MAX_COMPUTERS_PER_POST);
  const chunks = Math.ceil(all.length / size);
  const t0 = performance.now();
  let id = "";
  for (let n = 0; n < chunks; n++) {
    const part = all.slice(n * size, (n + 1) * size);
    const res = await receiveEnumerationResults(db(), principal, {
      appliance_id: appliance.id,
      domain: "clinic.bench",
      servers: part.filter(([k]) => k === "s").map(([, c]) => c),
      workstations: part.filter(([k]) => k === "w").map(([, c]) => c),
      enumerated_at: enumeratedAt,
      run_id: runId,
      chunk: n,
      last: n === chunks - 1,
    });
    id = res.run_id;
  }
  return { runId: id, ms: performance.now() - t0 };
}

async function merge(runId: string): Promise<{ ms: number; result: unknown }> {
  const t0 = performance.now();
  const result = await db().$transaction((tx) => mergeEnumerationRun(tx, runId), { timeout: 120_000 });
  return { ms: performance.now() - t0, result };
}

/** The floor: the same rows, one unnest INSERT … ON CONFLICT DO UPDATE into a plain table, same process. */
const pool = new pg.Pool({ connectionString: DB, max: 1 });
await pool.query(`
  CREATE TABLE IF NOT EXISTS bench_computers (
    site_id text, hostname text, kind text, name text, os text, os_version text, dn text, enabled boolean,
    last_logon timestamp(3), seen timestamp(3), PRIMARY KEY (site_id, hostname))`);
await pool.query("TRUNCATE bench_computers");
async function baseline(variant: number): Promise<number> {
  const { servers, workstations } = computers(variant);
  const rows = [...servers.map((c) => ["server", c] as const), ...workstations.map((c) => ["workstation", c] as const)];
  const seen = new Date(Date.UTC(2026, 11, 1, variant)).toISOString();
  const t0 = performance.now();
  await pool.query(
    `INSERT INTO bench_computers AS b
     SELECT $1, h, k, n, o, v, d, e, l, $9 FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::boolean[], $10::timestamp[])
       AS x(h, k, n, o, v, d, e, l)
     ON CONFLICT (site_id, hostname) DO UPDATE SET kind = excluded.kind, name = excluded.name, os = excluded.os,
       os_version = excluded.os_version, dn = excluded.dn, enabled = excluded.enabled, last_logon = excluded.last_logon,
       seen = excluded.seen`,
    [
      siteId,
      rows.map(([, c]) => c.hostname),
      rows.map(([k]) => k),
      rows.map(([, c]) => c.name),
      rows.map(([, c]) => c.os),
      rows.map(([, c]) => c.os_version),
      rows.map(([, c]) => c.distinguished_name),
      rows.map(([, c]) => c.enabled),
      seen,
      rows.map(([, c]) => c.last_logon),
    ],
  );
  return performance.now() - t0;
}

const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
log(
  `${TOTAL} computers (${SERVERS} servers), posts of ${Math.min(CHUNK, MAX_COMPUTERS_PER_POST)}, database ${DB_NAME}`,
);
const lines: string[] = [];
for (const [variant, label] of [
  [0, "first run (all new)"],
  [1, "same computers again"],
  [2, "10 % changed, 1 % gone"],
] as const) {
  const posted = await intake(variant);
  const merged = await merge(posted.runId);
  const floor = await baseline(variant);
  lines.push(
    `${label.padEnd(24)} intake ${fmt(posted.ms)}  merge ${fmt(merged.ms)}  baseline INSERT…ON CONFLICT ${fmt(floor)}  merge/baseline ${(merged.ms / floor).toFixed(2)}×  ${JSON.stringify(merged.result)}`,
  );
  log(lines.at(-1) ?? "");
}
process.stdout.write(`${lines.join("\n")}\n`);

await db().partner.delete({ where: { id: partner.id } });
await pool.query("DROP TABLE bench_computers");
await pool.end();
await closePgPool();
await disconnectDb();
