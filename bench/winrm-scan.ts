/**
 * bench/winrm-scan: the appliance's compliance scan of 200 Windows servers, beside Debian's pywinrm (python3-winrm,
 * the client the seed's upstream uses) running the same check script against the same hosts, in one run.
 *
 * The hosts are the WinRM double (tests/support/winrm-double) in its own process (bench/winrm-double-server.ts):
 * 200 fake servers, one per loopback address (127.0.1.1 … 127.0.1.200, port 5985), all compliant, each speaking
 * NTLM with message encryption (sealed multipart/encrypted bodies, as a default Windows listener demands) and
 * answering the real check script (appliance/src/compliance/check-script.ts) from its state.
 *   product   the appliance's scanHosts with its own WinRM client (winrmRunScript) at concurrency C: per host a
 *             fresh connection, NTLM login, shell, command (the script on stdin), receive, delete; then the
 *             output parsed and the six controls evaluated. Every host must give six "pass" verdicts.
 *   pywinrm   one Python process, a ThreadPoolExecutor of the same C, per host a winrm.Session (NTLM, message
 *             encryption) and Session.run_ps(CHECK_SCRIPT) (powershell -encodedcommand). Every host must exit 0
 *             with the JSON marker on stdout. Timed inside Python from the pool's start to its last host.
 * A warm-up round of each, then rounds alternating pywinrm, product (so drift on a shared machine hits both);
 * medians are printed, with hosts/s and the ratio of throughputs (the median of the per-round ratios), and the
 * client's CPU time per host (this process for the product, the Python process for pywinrm; the double's excluded).
 *   npm run bench:winrm-scan   (BENCH_HOSTS (200), BENCH_CONCURRENCY (the product's DEFAULT_SCAN_CONCURRENCY),
 *                               BENCH_ROUNDS (5), BENCH_WINRM_PREFIX (127.0.1), BENCH_WINRM_PORT (5985))
 * Goal: the product scans all 200 within 10 s, at least 2× pywinrm's throughput.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { createInterface } from "node:readline";
import { CHECK_SCRIPT, CHECK_SCRIPT_OUTPUT_MARKER } from "../appliance/src/compliance/check-script";
import { DEFAULT_SCAN_CONCURRENCY, scanHosts } from "../appliance/src/compliance/scan/scan-hosts";
import { winrmRunScript } from "../appliance/src/compliance/scan/winrm-run-script";
import { DEFAULT_THRESHOLDS } from "../appliance/src/compliance/thresholds";
import { Secret } from "../appliance/src/crypto/secret";
import type { WindowsTarget } from "../appliance/src/daemon/windows-targets";
import { legacyOpensslConf } from "../tests/support/winrm-double/pywinrm";

const HOSTS = Number(process.env.BENCH_HOSTS ?? 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? DEFAULT_SCAN_CONCURRENCY);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const PREFIX = process.env.BENCH_WINRM_PREFIX ?? "127.0.1";
const PORT = Number(process.env.BENCH_WINRM_PORT ?? 5985);
const USERNAME = "CLINIC\\scanner";
const PASSWORD = "Bench-Sc4n!";

const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);

type Host = { name: string; address: string; port: number; url: string };

function startDouble(): Promise<{ child: ChildProcess; hosts: Host[] }> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "bench/winrm-double-server.ts", String(HOSTS), PREFIX, String(PORT), PASSWORD],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`the WinRM double exited ${code} before listening`)));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).once("line", (line) => {
      resolve({ child, hosts: (JSON.parse(line) as { hosts: Host[] }).hosts });
    });
  });
}

/** Wall seconds, the client's CPU seconds, and the double's (the 200 "servers'") CPU seconds during the round. */
type Round = { seconds: number; cpu: number; server: number };

/** CPU seconds (user + system) a child has used so far, from /proc (Linux). */
function cpuOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8")
    .replace(/^.*\) /, "")
    .split(" ");
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}
const CLOCK_TICKS = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;

/** Runs one round and adds the double's CPU seconds spent during it. */
async function measured(pid: number, run: () => Promise<Omit<Round, "server">>): Promise<Round> {
  const before = cpuOf(pid);
  const round = await run();
  return { ...round, server: cpuOf(pid) - before };
}

/** One product round: wall and CPU seconds of the whole scan; throws unless every host gave six "pass" verdicts. */
async function product(hosts: Host[]): Promise<Omit<Round, "server">> {
  const targets: WindowsTarget[] = hosts.map((h) => ({
    hostname: h.address,
    username: USERNAME,
    password: new Secret(PASSWORD),
    use_ssl: false,
    port: h.port,
    transport: "ntlm",
    sealed: true,
  }));
  const cpu = process.cpuUsage();
  const start = performance.now();
  const scans = await scanHosts({
    targets,
    runScript: winrmRunScript,
    thresholds: DEFAULT_THRESHOLDS,
    concurrency: CONCURRENCY,
    hostTimeoutMs: 60_000,
    signal: new AbortController().signal,
    now: () => new Date(),
  });
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  const bad = scans.filter((s) => s.verdicts.length !== 6 || s.verdicts.some((v) => v.status !== "pass"));
  if (scans.length !== hosts.length || bad.length > 0) {
    const first = bad[0]?.verdicts.find((v) => v.status !== "pass");
    throw new Error(
      `product: ${scans.length}/${hosts.length} hosts scanned, ${bad.length} not all "pass"` +
        (first ? ` (${bad[0]?.hostname}: ${first.check} ${first.status} ${first.error ?? first.observed})` : ""),
    );
  }
  return { seconds, cpu: (used.user + used.system) / 1e6 };
}

/** One pywinrm round, in its own Python process: wall and CPU seconds of the batch; throws unless every host answered. */
function pywinrm(hosts: Host[]): Promise<Omit<Round, "server">> {
  const child = spawn("/usr/bin/python3", ["bench/peers/pywinrm_scan.py"], {
    stdio: ["pipe", "pipe", "inherit"],
    env: { ...process.env, OPENSSL_CONF: legacyOpensslConf() },
  });
  let out = "";
  child.stdout.on("data", (d) => {
    out += d;
  });
  child.stdin.end(
    JSON.stringify({
      endpoints: hosts.map((h) => h.url),
      username: USERNAME,
      password: PASSWORD,
      script: CHECK_SCRIPT,
      concurrency: CONCURRENCY,
      marker: CHECK_SCRIPT_OUTPUT_MARKER,
    }),
  );
  return new Promise((resolve, reject) => {
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`pywinrm exited ${code}`));
      const r = JSON.parse(out.trim().split("\n").pop() ?? "{}") as {
        seconds: number;
        cpu: number;
        ok: number;
        failures: string[];
      };
      if (r.ok !== hosts.length) {
        return reject(new Error(`pywinrm: ${r.ok}/${hosts.length} hosts answered; ${r.failures.join("; ")}`));
      }
      resolve({ seconds: r.seconds, cpu: r.cpu });
    });
  });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2
    ? (s[(s.length - 1) / 2] as number)
    : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
};

let double: ChildProcess | undefined;
try {
  log(`starting the WinRM double: ${HOSTS} hosts on ${PREFIX}.1–${PREFIX}.${HOSTS}:${PORT}…`);
  const started = await startDouble();
  double = started.child;
  const { hosts } = started;
  const pid = started.child.pid as number;
  const runProduct = () => measured(pid, () => product(hosts));
  const runPywinrm = () => measured(pid, () => pywinrm(hosts));
  log(`warming up (one round each, concurrency ${CONCURRENCY})…`);
  const warm = { product: await runProduct(), pywinrm: await runPywinrm() };
  log(`warm-up: product ${warm.product.seconds.toFixed(2)} s, pywinrm ${warm.pywinrm.seconds.toFixed(2)} s`);
  const rounds: Array<{ pywinrm: Round; product: Round }> = [];
  for (let r = 1; r <= ROUNDS; r++) {
    const base = await runPywinrm();
    const prod = await runProduct();
    rounds.push({ pywinrm: base, product: prod });
    log(`round ${r}/${ROUNDS}: pywinrm ${base.seconds.toFixed(2)} s, product ${prod.seconds.toFixed(2)} s`);
  }
  const pool = (rs: Round[]): Round => ({
    seconds: median(rs.map((r) => r.seconds)),
    cpu: median(rs.map((r) => r.cpu)),
    server: median(rs.map((r) => r.server)),
  });
  const prod = pool(rounds.map((r) => r.product));
  const base = pool(rounds.map((r) => r.pywinrm));
  const ratios = rounds.map((r) => r.pywinrm.seconds / r.product.seconds);
  const ratio = median(ratios);
  const fmt = (r: Round) =>
    `${r.seconds.toFixed(2)} s for ${HOSTS} hosts, ${(HOSTS / r.seconds).toFixed(1)} hosts/s, ` +
    `CPU per host: client ${((r.cpu * 1000) / HOSTS).toFixed(2)} ms, double ${((r.server * 1000) / HOSTS).toFixed(2)} ms`;
  process.stdout.write(
    `\nWinRM scan benchmark: ${HOSTS} hosts (the WinRM double in its own process; NTLM + message encryption, the ` +
      `real check script), concurrency ${CONCURRENCY}, ${ROUNDS} rounds (medians)\n` +
      `  pywinrm (python3-winrm, ThreadPoolExecutor ${CONCURRENCY}, run_ps):  ${fmt(base)}\n` +
      `  product (scanHosts + the appliance's WinRM client, parse, evaluate): ${fmt(prod)}\n` +
      `  ratio product/pywinrm throughput: ${ratio.toFixed(2)} (rounds: ${ratios.map((x) => x.toFixed(2)).join(", ")}); ` +
      `client CPU per host: ${(base.cpu / prod.cpu).toFixed(2)}× less\n` +
      `  warm-up (first scan of each in a fresh process): pywinrm ${warm.pywinrm.seconds.toFixed(2)} s, product ${warm.product.seconds.toFixed(2)} s\n` +
      rounds
        .map(
          (r, i) =>
            `  round ${i + 1}: pywinrm ${r.pywinrm.seconds.toFixed(2)} s (CPU client ${r.pywinrm.cpu.toFixed(2)} s, double ${r.pywinrm.server.toFixed(2)} s), ` +
            `product ${r.product.seconds.toFixed(2)} s (CPU client ${r.product.cpu.toFixed(2)} s, double ${r.product.server.toFixed(2)} s)\n`,
        )
        .join("") +
      `  goals: all ${HOSTS} within 10 s: ${prod.seconds <= 10 ? "met" : "MISSED"}; at least 2× pywinrm's throughput: ${ratio >= 2 ? "met" : "MISSED"}\n`,
  );
} finally {
  double?.kill("SIGTERM");
}
