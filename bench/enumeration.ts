/**
 * bench/enumeration: the whole zero-friction enumeration of a 10,000-computer Samba AD (300 servers, 9,700
 * workstations; tests/support/samba-dc/large-directory.ts, built once with offline ldbadd and restored from its
 * snapshot after that) by the product's own code, beside the raw paged LDAP read of the same directory (the floor).
 *
 * A product round is what an appliance and Central Command do after a partner enters the domain credential, for a
 * fresh site each round (so every round is a first enumeration, all rows new):
 *   discovery   SRV lookups on the DC's DNS, rootDSE, CLDAP ping (the appliance's discoverDomain)
 *   credential  GET /api/sites/{id}/domain-credentials from the real handlers (sealed to the appliance, unsealed)
 *   ldap        connect (LDAPS, certificate trusted on first use), bind, paged search to its last page (the
 *               appliance's runEnumeration → enumerateDomain); each page is classified as it arrives
 *   winrm       the WinRM reachability probe of the 300 servers, as the product has it: it starts with the first
 *               page and overlaps the read; this phase is what is left of it after the last page (most names have
 *               no DNS record here, the others refuse the connection: nothing listens on loopback). Its whole
 *               span, from the first probe, is printed beside it.
 *   build posts the contract's wire form
 *   post        POST /api/appliances/enumeration-results (the real handlers, in their own process)
 *   merge       from the post's 202 to the run marked merged by the real worker (workers/main.ts: outbox relay,
 *               BullMQ, the merge), in its own process
 * The floor rounds read the same computers with the same attributes, 500 per page, over LDAPS: with ldapts (what
 * the product uses), and with `ldapsearch -E pr=500` (ldap-utils, what a user would pick). Rounds alternate
 * (floor, ldapsearch, product) so drift on a shared machine hits all alike; medians are printed. Every product
 * round must have merged exactly the directory's servers and workstations, or the benchmark fails.
 *   npm run bench:enumeration   (BENCH_ROUNDS (3), BENCH_DC_IP (127.0.0.45), BENCH_DB, BENCH_REDIS_DB,
 *                                BENCH_KEEP_DC=1 leaves the DC running)
 * BENCH_WINRM=drop is the worst case for the probe: every server name resolves (for the probe only) to
 * BENCH_WINRM_DROP_IP (127.0.0.46), where a listener whose accept queue is full drops every SYN, as a firewall
 * that drops WinRM does: each probe waits for its full timeout.
 * Needs Samba (see tests/support/samba-dc), PostgreSQL and Redis. Goal: the product within 10 s for 10,000.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { createInterface } from "node:readline";
import { Client } from "ldapts";
import pg from "pg";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const DC_IP = process.env.BENCH_DC_IP ?? "127.0.0.45";
const DB_NAME = process.env.BENCH_DB ?? "osiriscare_bench_enumeration";
const DB = `postgresql://postgres@127.0.0.1:5432/${DB_NAME}`;
const REDIS_DB = process.env.BENCH_REDIS_DB ?? "3";
const WINRM_DROP = process.env.BENCH_WINRM === "drop";
const DROP_IP = process.env.BENCH_WINRM_DROP_IP ?? "127.0.0.46";
const env = {
  ...process.env,
  NODE_ENV: "production" as const,
  DATABASE_URL: DB,
  REDIS_URL: `redis://127.0.0.1:6379/${REDIS_DB}`,
  QUEUE_PREFIX: "osiris-bench-enum",
  PUBLIC_URL: "http://127.0.0.1:3000",
  AUTH_SECRET: "bench-auth-secret-0123456789abcdef0123456789",
  TOKEN_HMAC_KEY: "bench-hmac-key-0123456789abcdef0123456789ab",
  CREDENTIALS_KEYRING: JSON.stringify({ current: "b1", keys: { b1: Buffer.alloc(32, 5).toString("base64") } }),
  LOG_LEVEL: "warn",
};
Object.assign(process.env, env);

const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);
const now = () => performance.now();

const { ensureDatabase, migrate } = await import("@/scripts/lib/services");
const { LARGE_DIRECTORY, LARGE_EXPECTED } = await import("../tests/support/samba-dc/large-directory");
const { FIXTURE_NOW } = await import("../tests/support/samba-dc/fixtures");
const { ensureTestDc, stopTestDc, testDcDir } = await import("../tests/support/samba-dc/samba-dc");
const { COMPUTER_ATTRIBUTES } = await import("@/appliance/src/directory/enumeration/search-computers");

// ---------------------------------------------------------------------------------------------------------------
// Setup: a fresh database, the large DC, the server and the worker in their own processes.
const admin = new pg.Client({ connectionString: DB.replace(/\/[^/]+$/, "/postgres") });
await admin.connect();
await admin.query(`DROP DATABASE IF EXISTS "${DB_NAME}" WITH (FORCE)`);
await admin.end();
await ensureDatabase(DB);
migrate(DB, true);

log(`starting the ${LARGE_EXPECTED.total}-computer DC on ${DC_IP} (the first run builds it: minutes)…`);
const dc = await ensureTestDc({ ip: DC_IP, fixture: LARGE_DIRECTORY });
log(`DC ready (${dc.startedFrom}) in ${(dc.startMs / 1000).toFixed(1)} s`);

const { db, disconnectDb } = await import("@/server/db");
const { closePgPool } = await import("@/server/db-pg");
const { closeRedis } = await import("@/server/redis");
const { closeQueues } = await import("@/server/jobs/queues");
const { setDomainCredential } = await import("@/server/domain/directory/domain-credential");
const { hashSecret } = await import("@/server/domain/security/secrets");
const { APPLIANCE_KEY_PURPOSE } = await import("@/server/domain/appliances/authenticate-appliance");
const { makePartner, makeSiteWithAppliance } = await import("../tests/support/factories");
const { deriveApplianceKeys, generateRootSecret } = await import("@/appliance/src/crypto/appliance-key");
const { callApi } = await import("@/appliance/src/central-command/call-api");
const { ENDPOINTS } = await import("@/appliance/src/central-command/endpoints");
const { discoverDomain } = await import("@/appliance/src/directory/discovery/discover-domain");
const { createDirectoryDns } = await import("@/appliance/src/directory/net/directory-dns");
const { DcPins } = await import("@/appliance/src/ad-sync/dc-pins");
const { runEnumeration } = await import("@/appliance/src/ad-sync/run-enumeration");

const children: ChildProcess[] = [];
function child(script: string): ChildProcess {
  const c = spawn(process.execPath, ["--import", "tsx", script], { stdio: ["ignore", "pipe", "inherit"], env });
  children.push(c);
  return c;
}
const server = child("bench/enumeration-server.ts");
const serverUrl = await new Promise<string>((resolve, reject) => {
  if (!server.stdout) return reject(new Error("no stdout"));
  createInterface({ input: server.stdout }).once("line", (line) => resolve((JSON.parse(line) as { url: string }).url));
  server.once("exit", (code) => reject(new Error(`the route server exited ${code}`)));
});
child("workers/main.ts");

/** Listeners on DROP_IP:5985/5986 with a full accept queue: the kernel drops further SYNs (a silent firewall). */
const DROPPER = `
import socket, sys, time
keep = []
for port in (5985, 5986):
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((sys.argv[1], port)); s.listen(0); keep.append(s)
    for _ in range(2):
        c = socket.socket(); c.setblocking(False)
        try: c.connect((sys.argv[1], port))
        except BlockingIOError: pass
        keep.append(c)
print("ready", flush=True)
while True: time.sleep(3600)
`;
if (WINRM_DROP) {
  const dropper = spawn("python3", ["-c", DROPPER, DROP_IP], { stdio: ["ignore", "pipe", "inherit"] });
  children.push(dropper);
  await new Promise<void>((resolve, reject) => {
    if (!dropper.stdout) return reject(new Error("no stdout"));
    createInterface({ input: dropper.stdout }).once("line", () => resolve());
    dropper.once("exit", (code) => reject(new Error(`the WinRM dropper exited ${code}`)));
  });
}

const pool = new pg.Pool({ connectionString: DB, max: 2 });
const tmp = mkdtempSync(path.join(tmpdir(), "osiris-bench-enum-"));
const caFile = path.join(tmp, "ca.pem");
writeFileSync(caFile, dc.caPem);
const passFile = path.join(tmp, "pw");
writeFileSync(passFile, dc.adminPassword, { mode: 0o600 });

const partner = await makePartner();

// ---------------------------------------------------------------------------------------------------------------
// The floor: the same paged read, nothing else.
async function floorLdapts(): Promise<{ ms: number; count: number }> {
  const t0 = now();
  const client = new Client({ url: `ldaps://${dc.ip}`, tlsOptions: { ca: [dc.caPem] }, timeout: 60_000 });
  let count = 0;
  try {
    await client.bind(dc.adminUser, dc.adminPassword);
    for await (const page of client.searchPaginated(dc.baseDn, {
      scope: "sub",
      filter: "(objectCategory=computer)",
      attributes: COMPUTER_ATTRIBUTES,
      paged: { pageSize: 500 },
    })) {
      count += page.searchEntries.length;
    }
  } finally {
    await client.unbind().catch(() => {});
  }
  return { ms: now() - t0, count };
}

async function floorLdapsearch(): Promise<{ ms: number; count: number }> {
  const t0 = now();
  const child = spawn(
    "ldapsearch",
    [
      "-LLL",
      "-x",
      "-H",
      `ldaps://${dc.ip}`,
      "-D",
      dc.adminUser,
      "-y",
      passFile,
      "-b",
      dc.baseDn,
      "-E",
      "pr=500/noprompt",
      "(objectCategory=computer)",
      ...COMPUTER_ATTRIBUTES,
    ],
    { env: { ...process.env, LDAPTLS_CACERT: caFile }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let count = 0;
  let err = "";
  child.stderr?.on("data", (d) => {
    err += d;
  });
  if (!child.stdout) throw new Error("ldapsearch has no stdout");
  const lines = createInterface({ input: child.stdout });
  lines.on("line", (line) => {
    if (line.startsWith("dn: ")) count++;
  });
  const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
  if (code !== 0) throw new Error(`ldapsearch exited ${code}: ${err.trim()}`);
  return { ms: now() - t0, count };
}

// ---------------------------------------------------------------------------------------------------------------
// The product.
type Phases = Record<
  "discovery" | "credential" | "ldap" | "winrm" | "buildPosts" | "post" | "merge" | "total",
  number
> & { winrmSpan: number; mergeWork: number; posts: number };

async function newSite() {
  const rootSecret = generateRootSecret();
  const keys = deriveApplianceKeys(rootSecret);
  const { siteId, appliance } = await makeSiteWithAppliance(partner.partner.id);
  await db().appliance.update({
    where: { id: appliance.id },
    data: { apiKeyHash: hashSecret(keys.apiKey, APPLIANCE_KEY_PURPOSE), publicKey: keys.keyPair.publicKeyBase64 },
  });
  await setDomainCredential(
    db(),
    partner.partner.id,
    siteId,
    { domain: dc.domain, username: dc.adminUser, password: dc.adminPassword },
    { actorType: "system" },
  );
  return { siteId, applianceId: appliance.id, apiKey: keys.apiKey, privateKey: keys.keyPair.privateKey };
}

async function product(): Promise<Phases> {
  const site = await newSite();
  const stateDir = mkdtempSync(path.join(tmp, "state-"));
  const callOptions = { apiEndpoint: serverUrl, apiKey: site.apiKey };
  const baseDns = createDirectoryDns({ servers: [dc.ip] });
  let lastPage = 0;
  let probeStart = 0;
  let fetched = 0;
  let firstPost = 0;
  let lastAck = 0;
  let postMs = 0;
  let enumerateMs = 0;
  // The same DNS, noting when the WinRM probe asks its first name (any name but the DC's, which the LDAP
  // connection asks first).
  const dns = {
    servers: baseDns.servers,
    resolveSrv: (name: string) => baseDns.resolveSrv(name),
    resolveHost: (name: string) => {
      if (name === dc.hostname) return baseDns.resolveHost(name);
      if (probeStart === 0) probeStart = now();
      return WINRM_DROP ? Promise.resolve(DROP_IP) : baseDns.resolveHost(name);
    },
  };

  const t0 = now();
  const found = await discoverDomain({ candidates: [dc.domain], dns: baseDns });
  if (!found.ok) throw new Error(`discovery failed: ${found.message}`);
  const discovered = now();
  let credentialMs = 0;
  const outcome = await runEnumeration({
    applianceId: site.applianceId,
    privateKey: site.privateKey,
    dns,
    pins: new DcPins(stateDir),
    discovered: { domain: found.domain, domainControllers: found.domainControllers, at: new Date() },
    discover: (candidates) => discoverDomain({ candidates, dns }),
    fetchCredential: async () => {
      const t = now();
      const res = await callApi(ENDPOINTS.domainCredential, { site_id: site.siteId }, callOptions);
      fetched = now();
      credentialMs = fetched - t;
      // One attempt, no retries: a benchmark round fails loudly instead of waiting out a backoff.
      return res.ok
        ? { ok: true as const, release: res.data }
        : { ok: false as const, reason: JSON.stringify(res.failure), attempts: 1, stopped: false };
    },
    postResults: async (body) => {
      const t = now();
      if (firstPost === 0) firstPost = t;
      const res = await callApi(ENDPOINTS.enumerationResults, body, callOptions);
      lastAck = now();
      postMs += lastAck - t;
      if (!res.ok) throw new Error(`enumeration-results refused: ${JSON.stringify(res.failure)}`);
      return true;
    },
    postFailed: async (body) => {
      throw new Error(`the enumeration failed: ${body.code}: ${body.error}`);
    },
    log: (line) => {
      const m = /enumerated .* in (\d+) ms/.exec(line);
      if (m) enumerateMs = Number(m[1]);
    },
    now: () => new Date(),
    enumerate: {
      now: FIXTURE_NOW,
      onPage: () => {
        lastPage = now();
      },
    },
  });
  if (outcome.status !== "reported" || !outcome.delivered || outcome.partial) {
    throw new Error(`the enumeration did not report a complete run: ${JSON.stringify(outcome)}`);
  }

  // The worker merges; the run is merged when its row says so.
  let run: { status: string; merge_ms: number | null; server_count: number; workstation_count: number } | undefined;
  for (;;) {
    const { rows } = await pool.query(
      "SELECT status::text AS status, merge_ms, server_count, workstation_count FROM enumeration_runs WHERE site_id = $1",
      [site.siteId],
    );
    run = rows[0];
    if (run && run.status !== "receiving" && run.status !== "queued") break;
    if (now() - lastAck > 120_000) throw new Error("the merge did not finish within 120 s");
    await new Promise((r) => setTimeout(r, 10));
  }
  const merged = now();
  if (run?.status !== "merged") throw new Error(`the run ended ${run?.status}`);

  // Every round must have merged exactly the directory.
  const [targets, approved, dcs, workstations] = await Promise.all([
    db().windowsTarget.count({ where: { siteId: site.siteId, source: "discovered" } }),
    db().windowsTarget.count({ where: { siteId: site.siteId, approval: "approved" } }),
    db().windowsTarget.count({ where: { siteId: site.siteId, isDomainController: true } }),
    db().workstation.count({ where: { siteId: site.siteId } }),
  ]);
  const expected = { servers: LARGE_EXPECTED.servers, workstations: LARGE_EXPECTED.workstations };
  const got = {
    enumerated: { servers: outcome.servers, workstations: outcome.workstations },
    run: { servers: run.server_count, workstations: run.workstation_count },
    merged: { servers: targets, approved, dcs, workstations },
  };
  if (
    outcome.servers !== expected.servers ||
    outcome.workstations !== expected.workstations ||
    run.server_count !== expected.servers ||
    run.workstation_count !== expected.workstations ||
    targets !== expected.servers ||
    approved !== expected.servers ||
    dcs !== LARGE_EXPECTED.domainControllers.length ||
    workstations !== expected.workstations
  ) {
    throw new Error(
      `the round did not merge the directory: expected ${JSON.stringify(expected)}, got ${JSON.stringify(got)}`,
    );
  }

  const enumerateEnd = fetched + enumerateMs;
  return {
    discovery: discovered - t0,
    credential: credentialMs,
    ldap: lastPage - fetched,
    winrm: enumerateEnd - lastPage,
    winrmSpan: probeStart ? enumerateEnd - probeStart : 0,
    buildPosts: firstPost - enumerateEnd,
    post: postMs,
    merge: merged - lastAck,
    mergeWork: run.merge_ms ?? 0,
    total: merged - t0,
    posts: outcome.posts,
  };
}

// ---------------------------------------------------------------------------------------------------------------
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2
    ? (s[(s.length - 1) / 2] as number)
    : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
};
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

const rounds: Array<{ floor: number; ldapsearch: number; product: Phases }> = [];
try {
  log("warm-up round (not counted)…");
  await floorLdapts();
  await floorLdapsearch();
  await product();
  for (let r = 1; r <= ROUNDS; r++) {
    const floor = await floorLdapts();
    const tool = await floorLdapsearch();
    for (const [what, got] of [
      ["ldapts", floor.count],
      ["ldapsearch", tool.count],
    ] as const) {
      if (got !== LARGE_EXPECTED.total)
        throw new Error(`${what} read ${got} computers, expected ${LARGE_EXPECTED.total}`);
    }
    const prod = await product();
    rounds.push({ floor: floor.ms, ldapsearch: tool.ms, product: prod });
    log(
      `round ${r}/${ROUNDS}: floor (ldapts) ${s(floor.ms)}, ldapsearch ${s(tool.ms)}, product ${s(prod.total)} ` +
        `(${(prod.total / floor.ms).toFixed(2)}×)`,
    );
  }

  const m = (k: keyof Phases) => median(rounds.map((r) => r.product[k]));
  const total = m("total");
  const floor = median(rounds.map((r) => r.floor));
  const tool = median(rounds.map((r) => r.ldapsearch));
  const phase = (label: string, k: keyof Phases, note = "") =>
    `    ${label.padEnd(40)} ${s(m(k)).padStart(8)}  ${((100 * m(k)) / total).toFixed(0).padStart(3)} %${note}`;
  const ratios = rounds.map((r) => r.product.total / r.floor);
  process.stdout.write(
    `\nenumeration benchmark: ${LARGE_EXPECTED.total.toLocaleString("en-US")} computers (${LARGE_EXPECTED.servers} servers, ` +
      `${LARGE_EXPECTED.workstations.toLocaleString("en-US")} workstations) on Samba ${DC_IP}, ${ROUNDS} rounds (medians)\n` +
      "  product, a first enumeration of a fresh site:\n" +
      `${phase("discovery (SRV, rootDSE, CLDAP)", "discovery")}\n` +
      `${phase("domain credential (GET, unseal)", "credential")}\n` +
      `${phase("LDAPS connect, bind, search, classify", "ldap")}\n` +
      `${phase(
        `WinRM probe of ${LARGE_EXPECTED.servers} servers, after it`,
        "winrm",
        `  (its whole span ${s(m("winrmSpan"))}, from the first page${WINRM_DROP ? "; every server drops WinRM SYNs" : ""})`,
      )}\n` +
      `${phase("build posts", "buildPosts")}\n` +
      `${phase(`POST enumeration-results (${m("posts")})`, "post")}\n` +
      `${phase("merge (202 → merged by the worker)", "merge", `  (the merge itself ${s(m("mergeWork"))})`)}\n` +
      `    ${"total".padEnd(40)} ${s(total).padStart(8)}\n` +
      `  floor: ldapts paged read (bind + 500/page, same attributes) ${s(floor)}; ldapsearch -E pr=500 ${s(tool)}\n` +
      `  ratio product/floor: ${median(ratios).toFixed(2)} (rounds: ${ratios.map((x) => x.toFixed(2)).join(", ")}); ` +
      `product/ldapsearch ${(total / tool).toFixed(2)}\n` +
      `  goal: within 10 s: ${total <= 10_000 ? "met" : "NOT met"}\n` +
      rounds
        .map(
          (r, i) =>
            `  round ${i + 1}: floor ${s(r.floor)}, ldapsearch ${s(r.ldapsearch)}, product ${s(r.product.total)} ` +
            `(ldap ${s(r.product.ldap)}, winrm ${s(r.product.winrm)}, post ${s(r.product.post)}, merge ${s(r.product.merge)})\n`,
        )
        .join(""),
  );
} finally {
  for (const c of children) c.kill("SIGTERM");
  await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once("exit", r)) : undefined)));
  await pool.end();
  await closeQueues();
  await closeRedis();
  await closePgPool();
  await disconnectDb();
  rmSync(tmp, { recursive: true, force: true });
  if (process.env.BENCH_KEEP_DC !== "1") stopTestDc(testDcDir(DC_IP));
}
