/**
 * One real Samba AD DC for the test run, on its own loopback address with its own CA (tests/support/samba-dc/testdc.sh).
 *
 * Started lazily by the first test file that calls ensureTestDc(), reused by the files after it (the integration
 * project runs its files one at a time), stopped by the integration global teardown. The provisioned and loaded
 * directory is built once and kept as a zstd snapshot under tmp/samba-dc/, keyed by a hash of the fixture, the
 * script, the address and the Samba version; later runs restore it (about a second) instead of provisioning
 * (about ten). Samba missing is an error, never a skip.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  ADMIN_PASSWORD,
  ADMIN_USER,
  BASE_DN,
  DC_HOSTNAME,
  DOMAIN,
  fixtureDnsRecords,
  fixtureLdifs,
  REALM,
} from "./fixtures";

const SCRIPT = path.join(import.meta.dirname, "testdc.sh");
const REPO = path.resolve(import.meta.dirname, "../../..");

export interface TestDc {
  realm: string;
  domain: string;
  baseDn: string;
  ip: string;
  /** The DC's host name, as its SRV records and certificate name it. */
  hostname: string;
  adminUser: string;
  adminPassword: string;
  /** PEM of the CA that issued the DC's current certificate. */
  caPem: string;
  /** The directory the DC runs from (smb.conf, sam.ldb, logs). */
  dir: string;
  /** How this process got the DC: already running, restored from a snapshot, or built from scratch. */
  startedFrom: "running" | "snapshot" | "build";
  /** Milliseconds ensureTestDc() took. */
  startMs: number;
}

/**
 * The DC's address: TEST_DC_IP, else one derived from the test Redis db index (127.0.0.<30 + db>), so helpers
 * isolated by their Redis db never share a DC. Any 127.0.0.N works without `ip addr` (Linux routes 127/8 to lo).
 */
export function testDcIp(): string {
  if (process.env.TEST_DC_IP) return process.env.TEST_DC_IP;
  const db = Number(new URL(process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379/1").pathname.slice(1) || "1");
  return `127.0.0.${30 + db}`;
}

export function testDcDir(ip = testDcIp()): string {
  return path.join(tmpdir(), `osiris-samba-dc-${ip}`);
}

function script(args: string[]): void {
  const res = spawnSync("bash", [SCRIPT, ...args], {
    encoding: "utf8",
    env: { ...process.env, ADMINPASS: ADMIN_PASSWORD },
  });
  if (res.status !== 0) {
    throw new Error(`testdc.sh ${args[0]} failed (exit ${res.status}): ${res.stderr.trim() || res.stdout.trim()}`);
  }
}

function requireSamba(): string {
  const res = spawnSync("samba", ["--version"], { encoding: "utf8" });
  if (res.status !== 0) {
    throw new Error(
      "Samba is not installed, and the directory tests need a real AD DC: run `bash scripts/setup-machine.sh` " +
        "(apt-get install samba samba-ad-dc samba-ad-provision winbind ldb-tools dnsutils ldap-utils)",
    );
  }
  return res.stdout.trim();
}

/**
 * What a DC is built with: LDIF files for the offline import (name → text, imported in name order) and the DNS A
 * records to add ("name ip" lines). All of the test domain CLINIC.TEST; the default is the shared test fixture.
 */
export interface DcFixture {
  /** Names the snapshot; "default" is the shared test fixture (fixtures.ts). */
  name: string;
  ldifs: () => Record<string, string>;
  dnsRecords: (ip: string) => string;
}

export const DEFAULT_FIXTURE: DcFixture = { name: "default", ldifs: fixtureLdifs, dnsRecords: fixtureDnsRecords };

function fixtureHash(ip: string, dir: string, sambaVersion: string, fixture: DcFixture): string {
  const h = createHash("sha256");
  h.update(readFileSync(SCRIPT));
  const parts = [fixture.ldifs(), fixture.dnsRecords(ip), REALM, ip, dir, sambaVersion];
  // The default fixture's key is what it always was (snapshots already built stay valid); others add their name.
  h.update(JSON.stringify(fixture.name === DEFAULT_FIXTURE.name ? parts : [fixture.name, ...parts]));
  return h.digest("hex").slice(0, 16);
}

export function dcPid(dir = testDcDir()): number | null {
  const file = path.join(dir, "run", "samba.pid");
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, "utf8").trim());
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

function info(ip: string, dir: string, startedFrom: TestDc["startedFrom"], startMs: number): TestDc {
  return {
    realm: REALM,
    domain: DOMAIN,
    baseDn: BASE_DN,
    ip,
    hostname: DC_HOSTNAME,
    adminUser: ADMIN_USER,
    adminPassword: ADMIN_PASSWORD,
    caPem: readFileSync(path.join(dir, "private", "tls", "ca.pem"), "utf8"),
    dir,
    startedFrom,
    startMs,
  };
}

function buildSnapshot(ip: string, dir: string, snapshot: string, fixture: DcFixture): void {
  const ldifDir = `${dir}.ldif`;
  rmSync(ldifDir, { recursive: true, force: true });
  mkdirSync(ldifDir, { recursive: true });
  for (const [name, text] of Object.entries(fixture.ldifs())) writeFileSync(path.join(ldifDir, name), text);
  writeFileSync(path.join(ldifDir, "dns.txt"), fixture.dnsRecords(ip));
  script(["build", dir, REALM, ip, ldifDir]);
  rmSync(ldifDir, { recursive: true, force: true });
  // The certificate as built, for restoreCertificate().
  cpSync(path.join(dir, "private", "tls"), path.join(dir, "private", "original-tls"), { recursive: true });
  mkdirSync(path.dirname(snapshot), { recursive: true });
  const partial = `${snapshot}.${process.pid}.part`;
  // Without run/ (sockets, pid file) and log/: a restored DC starts with fresh ones.
  const name = path.basename(dir);
  execFileSync("tar", [
    "--zstd",
    "-cf",
    partial,
    "--exclude",
    `${name}/run`,
    "--exclude",
    `${name}/log`,
    "--exclude",
    "ldapi",
    "-C",
    path.dirname(dir),
    name,
  ]);
  renameSync(partial, snapshot);
}

export interface EnsureTestDcOptions {
  /** Default: testDcIp(). A DC of another fixture needs an address of its own (the LDAP ports are fixed). */
  ip?: string;
  /** Default: the shared test fixture. */
  fixture?: DcFixture;
}

/**
 * Starts the test DC if it is not running (restoring or building its snapshot) and describes it: by default
 * the shared one; with `ip` and `fixture`, another one (e.g. the benchmark's large directory), which the
 * caller stops with stopTestDc(testDcDir(ip)).
 */
export async function ensureTestDc(opts: EnsureTestDcOptions = {}): Promise<TestDc> {
  const started = performance.now();
  const sambaVersion = requireSamba();
  const ip = opts.ip ?? testDcIp();
  const fixture = opts.fixture ?? DEFAULT_FIXTURE;
  const dir = testDcDir(ip);
  const hash = fixtureHash(ip, dir, sambaVersion, fixture);
  const hashFile = path.join(dir, "fixture-hash");
  if (dcPid(dir) !== null && existsSync(hashFile) && readFileSync(hashFile, "utf8") === hash) {
    return info(ip, dir, "running", performance.now() - started);
  }
  stopTestDc(dir);
  const snapshotName = fixture.name === DEFAULT_FIXTURE.name ? hash : `${fixture.name}-${hash}`;
  const snapshot = path.join(REPO, "tmp", "samba-dc", `${snapshotName}.tar.zst`);
  let startedFrom: TestDc["startedFrom"] = "snapshot";
  if (!existsSync(snapshot)) {
    buildSnapshot(ip, dir, snapshot, fixture);
    startedFrom = "build";
  }
  rmSync(dir, { recursive: true, force: true });
  execFileSync("tar", ["--zstd", "-xf", snapshot, "-C", path.dirname(dir)]);
  mkdirSync(path.join(dir, "run"), { recursive: true });
  mkdirSync(path.join(dir, "log"), { recursive: true });
  writeFileSync(hashFile, hash);
  script(["start", dir, ip, DOMAIN]);
  return info(ip, dir, startedFrom, performance.now() - started);
}

/** Stops the shared test DC, if it runs (the directory stays for the next ensureTestDc to replace). */
export function stopTestDc(dir = testDcDir()): void {
  if (existsSync(dir)) script(["stop", dir]);
}

/** Stops and starts the DC (certificate and configuration changes are read at start). */
export function restartTestDc(dc: TestDc): void {
  script(["stop", dc.dir]);
  script(["start", dc.dir, dc.ip, dc.domain]);
}

/** Freezes the DC process (SIGSTOP): it keeps its sockets but answers nothing. thawTestDc undoes it. */
export function freezeTestDc(dc: TestDc): void {
  const pid = dcPid(dc.dir);
  if (pid === null) throw new Error("the test DC is not running");
  process.kill(pid, "SIGSTOP");
}

export function thawTestDc(dc: TestDc): void {
  const pid = dcPid(dc.dir);
  if (pid !== null) process.kill(pid, "SIGCONT");
}

/**
 * Gives the DC a new certificate, issued by a new CA (default) or by the test CA, and restarts it.
 * Returns the DC's description with the CA of the new certificate. restoreCertificate() puts the original back.
 */
export function replaceCertificate(dc: TestDc, opts: { newCa?: boolean } = {}): TestDc {
  const caDir =
    opts.newCa === false ? path.join(dc.dir, "private", "test-ca") : path.join(dc.dir, "private", "other-ca");
  if (opts.newCa !== false) rmSync(caDir, { recursive: true, force: true });
  script(["stop", dc.dir]);
  script(["cert", dc.dir, dc.domain, dc.ip, caDir]);
  script(["start", dc.dir, dc.ip, dc.domain]);
  return { ...dc, caPem: readFileSync(path.join(dc.dir, "private", "tls", "ca.pem"), "utf8") };
}

/** Puts back the certificate the DC was built with (and restarts it when it differs). */
export function restoreCertificate(dc: TestDc): TestDc {
  const tls = path.join(dc.dir, "private", "tls");
  const original = path.join(dc.dir, "private", "original-tls");
  if (readFileSync(path.join(tls, "cert.pem"), "utf8") !== readFileSync(path.join(original, "cert.pem"), "utf8")) {
    script(["stop", dc.dir]);
    rmSync(tls, { recursive: true, force: true });
    cpSync(original, tls, { recursive: true });
    script(["start", dc.dir, dc.ip, dc.domain]);
  }
  return { ...dc, caPem: readFileSync(path.join(tls, "ca.pem"), "utf8") };
}
