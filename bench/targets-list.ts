/**
 * bench/targets-list: the targets lists of a 10,000-computer site (default 1,000 servers, 9,000 workstations)
 * through the product's service (listSiteTargets: tenancy check, search, filters, sort, page, totals), for
 * the queries the site page sends, beside the floor: a bare `SELECT … ORDER BY hostname LIMIT 25` of the same
 * table. Prints median and p95 of BENCH_RUNS runs per query and the ratio to the floor.
 *   npm run bench:targets-list   (BENCH_COMPUTERS, BENCH_RUNS (default 30), BENCH_DB)
 */
import { performance } from "node:perf_hooks";

const TOTAL = Number(process.env.BENCH_COMPUTERS ?? 10_000);
const SERVERS = Math.round(TOTAL * 0.1);
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const DB_NAME = process.env.BENCH_DB ?? "osiriscare_bench_targets";
const DB = `postgresql://postgres@127.0.0.1:5432/${DB_NAME}`;
Object.assign(process.env, {
  DATABASE_URL: DB,
  REDIS_URL: process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379/3",
  AUTH_SECRET: "bench-auth-secret-0123456789abcdef0123456789",
  TOKEN_HMAC_KEY: "bench-hmac-key-0123456789abcdef0123456789ab",
  CREDENTIALS_KEYRING: JSON.stringify({ current: "b1", keys: { b1: Buffer.alloc(32, 5).toString("base64") } }),
  LOG_LEVEL: "warn",
});

const { ensureDatabase, migrate } = await import("@/scripts/lib/services");
const { db, disconnectDb } = await import("@/server/db");
const { listSiteTargets } = await import("@/server/domain/directory/site-targets");

await ensureDatabase(DB);
migrate(DB, true);

const partnerId = "bench-targets-partner";
const siteId = "bench-targets-site";
await db().partner.upsert({
  where: { id: partnerId },
  create: { id: partnerId, brandName: "Bench", slug: "bench-targets", primaryColor: "#2563EB" },
  update: {},
});
await db().site.upsert({
  where: { id: siteId },
  create: { id: siteId, partnerId, clientName: "Bench clinic" },
  update: {},
});
if ((await db().workstation.count({ where: { siteId } })) !== TOTAL - SERVERS) {
  await db().windowsTarget.deleteMany({ where: { siteId } });
  await db().workstation.deleteMany({ where: { siteId } });
  const day = 86_400_000;
  const os = ["Windows 10 Pro", "Windows 11 Pro", "Windows 11 Enterprise"];
  const ou = ["Front Desk", "Exam Rooms", "Billing", "Imaging"];
  for (let i = 0; i < SERVERS; i += 5000)
    await db().windowsTarget.createMany({
      data: Array.from({ length: Math.min(5000, SERVERS - i) }, (_, k) => {
        const n = i + k;
        return {
          siteId,
          hostname: `srv${String(n).padStart(5, "0")}.clinic.bench`,
          operatingSystem: `Windows Server ${2016 + (n % 4) * 3}`,
          distinguishedName: `CN=SRV${n},OU=${ou[n % 4]},DC=clinic,DC=bench`,
          approval: n % 50 === 0 ? ("awaiting_approval" as const) : ("approved" as const),
          enabled: n % 40 !== 0,
          lastLogonAt: new Date(Date.now() - (n % 120) * day),
          lastSeenAt: new Date(Date.now() - (n % 7) * day),
        };
      }),
    });
  for (let i = 0; i < TOTAL - SERVERS; i += 5000)
    await db().workstation.createMany({
      data: Array.from({ length: Math.min(5000, TOTAL - SERVERS - i) }, (_, k) => {
        const n = i + k;
        return {
          siteId,
          hostname: `ws${String(n).padStart(5, "0")}.clinic.bench`,
          name: `WS${n}`,
          operatingSystem: os[n % 3],
          distinguishedName: `CN=WS${n},OU=${ou[n % 4]},DC=clinic,DC=bench`,
          enabled: n % 40 !== 0,
          lastLogonAt: new Date(Date.now() - (n % 120) * day),
          lastSeenAt: new Date(Date.now() - (n % 7) * day),
          missingSince: n % 97 === 0 ? new Date() : null,
        };
      }),
    });
}

async function time(fn: () => Promise<unknown>) {
  await fn();
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  return { p50: ms[Math.floor(RUNS / 2)] ?? 0, p95: ms[Math.min(RUNS - 1, Math.floor(RUNS * 0.95))] ?? 0 };
}

const floor = await time(
  () => db().$queryRaw`SELECT * FROM workstations WHERE site_id = ${siteId} ORDER BY hostname LIMIT 25`,
);
const cases: Array<[string, Parameters<typeof listSiteTargets>[3]]> = [
  ["no parameters (both lists, page 1)", {}],
  ["workstations page 200", { kind: "workstation", page: 200 }],
  ["workstations sorted by last logon desc", { kind: "workstation", sort: "last_logon", order: "desc" }],
  ["workstations sorted by status", { kind: "workstation", sort: "status" }],
  ["search 'ws0042' (both lists)", { q: "ws0042" }],
  ["search 'exam rooms' (OU)", { q: "exam rooms" }],
  ["servers awaiting approval", { kind: "server", status: "awaiting_approval" }],
  ["stale workstations by OS", { kind: "workstation", status: "stale", sort: "os" }],
];
console.log(`targets list, ${SERVERS} servers + ${TOTAL - SERVERS} workstations, ${RUNS} runs each`);
console.log(`floor (bare ORDER BY hostname LIMIT 25): p50 ${floor.p50.toFixed(1)} ms, p95 ${floor.p95.toFixed(1)} ms`);
for (const [label, query] of cases) {
  const t = await time(() => listSiteTargets(db(), partnerId, siteId, query));
  console.log(
    `${label.padEnd(42)} p50 ${t.p50.toFixed(1).padStart(6)} ms  p95 ${t.p95.toFixed(1).padStart(6)} ms  ` +
      `(${(t.p50 / floor.p50).toFixed(1)}x floor)`,
  );
}
await disconnectDb();
