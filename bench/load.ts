/**
 * Load generator (its own process): POSTs check-ins with keep-alive connections, each request as a
 * different simulated appliance, for a fixed duration. Prints one JSON line with throughput and latency.
 *   node --import tsx bench/load.ts URL KEYS_FILE CONCURRENCY DURATION_S
 */
import { readFileSync } from "node:fs";
import http from "node:http";

const [url = "", keysFile = "", concurrencyArg = "64", durationArg = "10"] = process.argv.slice(2);
const appliances = JSON.parse(readFileSync(keysFile, "utf8")) as Array<{ id: string; key: string }>;
const concurrency = Number(concurrencyArg);
const durationMs = Number(durationArg) * 1000;
const target = new URL(url);
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });

function post(i: number): Promise<{ ms: number; status: number }> {
  const a = appliances[i % appliances.length] as { id: string; key: string };
  const body = JSON.stringify({ appliance_id: a.id, agent_version: "bench", uptime_s: 1000 + i });
  const started = process.hrtime.bigint();
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: "POST",
        agent,
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
          authorization: `Bearer ${a.key}`,
        },
      },
      (res) => {
        res.resume();
        res.on("end", () =>
          resolve({ ms: Number(process.hrtime.bigint() - started) / 1e6, status: res.statusCode ?? 0 }),
        );
      },
    );
    req.on("error", () => resolve({ ms: Number(process.hrtime.bigint() - started) / 1e6, status: 0 }));
    req.end(body);
  });
}

const latencies: number[] = [];
let errors = 0;
let next = 0;
const deadline = Date.now() + durationMs;
const startedAt = Date.now();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (Date.now() < deadline) {
      const r = await post(next++);
      if (r.status === 200) latencies.push(r.ms);
      else errors++;
    }
  }),
);
const elapsed = (Date.now() - startedAt) / 1000;
latencies.sort((a, b) => a - b);
const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
process.stdout.write(
  `${JSON.stringify({ ok: latencies.length, errors, rps: latencies.length / elapsed, p50: q(0.5), p99: q(0.99) })}\n`,
);
agent.destroy();
