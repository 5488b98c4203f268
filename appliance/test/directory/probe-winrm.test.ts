/** WinRM reachability: TCP connects with a short timeout, bounded concurrency, within a deadline. */
import { createServer, type Server } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { probeWinrm, WINRM_PROBE_CONCURRENCY } from "../../src/directory/enumeration/probe-winrm";
import type { DirectoryDns } from "../../src/directory/net/directory-dns";
import { createLimiter } from "../../src/directory/net/limiter";

let open: Server;
let openPort = 0;
let closedPort = 0;

/** A DNS whose names are in a table; anything else does not resolve. */
function tableDns(table: Record<string, string>): DirectoryDns {
  return {
    servers: ["table"],
    resolveSrv: async () => [],
    resolveHost: async (name) => {
      const address = table[name];
      if (!address) throw Object.assign(new Error(`queryA ENOTFOUND ${name}`), { code: "ENOTFOUND" });
      return address;
    },
  };
}

beforeAll(async () => {
  open = createServer((s) => s.destroy());
  await new Promise<void>((resolve) => open.listen(0, "127.0.0.1", resolve));
  openPort = (open.address() as { port: number }).port;
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
  closedPort = (closed.address() as { port: number }).port;
  await new Promise((resolve) => closed.close(resolve));
});

afterAll(() => new Promise<void>((resolve) => open.close(() => resolve())));

describe("probeWinrm", () => {
  it("reachable when either port accepts; not when both refuse or the name does not resolve", async () => {
    const dns = tableDns({ "fs01.clinic.local": "127.0.0.1", "sql01.clinic.local": "127.0.0.1" });
    const both = await probeWinrm(["fs01.clinic.local", "ghost.clinic.local"], {
      dns,
      ports: [closedPort, openPort],
      timeoutMs: 500,
    });
    expect(Object.fromEntries(both)).toEqual({ "fs01.clinic.local": true, "ghost.clinic.local": false });
    const refused = await probeWinrm(["sql01.clinic.local"], { dns, ports: [closedPort], timeoutMs: 500 });
    expect(refused.get("sql01.clinic.local")).toBe(false);
  });

  it("probes WINRM_PROBE_CONCURRENCY hosts at once by default, no more, and answers for every host", async () => {
    // Name resolution holds every probe until the test lets go: what is in flight is what the probe started.
    let inFlight = 0;
    let most = 0;
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const dns: DirectoryDns = {
      servers: ["gated"],
      resolveSrv: async () => [],
      resolveHost: async (name) => {
        inFlight++;
        most = Math.max(most, inFlight);
        await gate;
        inFlight--;
        throw Object.assign(new Error(`queryA ENOTFOUND ${name}`), { code: "ENOTFOUND" });
      },
    };
    const hosts = Array.from({ length: WINRM_PROBE_CONCURRENCY + 72 }, (_, i) => `srv${i}.clinic.local`);
    const probing = probeWinrm(hosts, { dns, timeoutMs: 500 });
    await new Promise((r) => setImmediate(r));
    expect(inFlight).toBe(WINRM_PROBE_CONCURRENCY);
    release();
    const result = await probing;
    expect(most).toBe(WINRM_PROBE_CONCURRENCY);
    expect(result.size).toBe(hosts.length);
    expect([...result.values()].every((open) => open === false)).toBe(true);
  });

  it("ends a probe whose name resolution outlasts the deadline at the deadline, the host left out", async () => {
    // A DNS that never answers (the DC's DNS frozen): without the deadline the probe would wait for ever.
    const dns: DirectoryDns = {
      servers: ["silent"],
      resolveSrv: async () => [],
      resolveHost: () => new Promise(() => {}),
    };
    const result = await probeWinrm(["fs01.clinic.local"], {
      dns,
      ports: [openPort],
      timeoutMs: 100,
      deadline: Date.now() + 400,
    });
    expect(result.size).toBe(0);
  });

  it("starts no probe that could not finish before the deadline", async () => {
    const dns = tableDns({ a: "127.0.0.1" });
    const result = await probeWinrm(["a"], { dns, ports: [openPort], timeoutMs: 500, deadline: Date.now() + 100 });
    expect(result.size).toBe(0);
  });
});

describe("createLimiter", () => {
  it("never has more than `concurrency` calls in flight, answers each call with its own result, passes failures on", async () => {
    const limit = createLimiter(3);
    let inFlight = 0;
    let most = 0;
    const started: number[] = [];
    const out = await Promise.all(
      [5, 1, 4, 2, 3, 0, 6].map((n) =>
        limit(async () => {
          started.push(n);
          inFlight++;
          most = Math.max(most, inFlight);
          await new Promise((r) => setTimeout(r, n * 3));
          inFlight--;
          return n * 10;
        }),
      ),
    );
    expect(out).toEqual([50, 10, 40, 20, 30, 0, 60]);
    expect(most).toBe(3);
    expect(started.slice(0, 3)).toEqual([5, 1, 4]);
    await expect(limit(async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await limit(async () => "after a failure")).toBe("after a failure");
  });
});
