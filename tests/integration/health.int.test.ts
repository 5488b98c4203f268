import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { PrismaPg } from "@prisma/adapter-pg";
import { afterAll, describe, expect, it } from "vitest";
import { GET } from "@/app/api/health/route";
import { db, disconnectDb } from "@/server/db";
import { checkHealth } from "@/server/domain/health/check-health";
import { PrismaClient } from "@/server/generated/prisma/client";
import { closeRedis } from "@/server/redis";
import { callRoute } from "../support/factories";

afterAll(async () => {
  await closeRedis();
  await disconnectDb();
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** A real, private redis-server for this test, so stopping it cannot disturb anything else. */
async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    {
      stdio: "ignore",
    },
  );
  for (let i = 0; i < 50; i++) {
    if (await checkHealth(db(), `redis://127.0.0.1:${port}`).then((h) => h.redis === "ok")) return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("redis-server did not start");
}

describe("GET /api/health", () => {
  it("answers 200 ok when PostgreSQL and Redis are up", async () => {
    const res = await callRoute(GET, new Request("http://x/api/health"));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", db: "ok", redis: "ok" });
  });

  it("reports Redis down (and does not hang) when Redis stops", async () => {
    const port = await freePort();
    const redis = await startRedis(port);
    expect((await checkHealth(db(), `redis://127.0.0.1:${port}`)).status).toBe("ok");
    redis.kill("SIGKILL");
    await new Promise((r) => redis.once("exit", r));
    const health = await checkHealth(db(), `redis://127.0.0.1:${port}`);
    expect(health).toEqual({ status: "degraded", db: "ok", redis: "down", error: "Redis unreachable" });
  });

  it("reports Redis down when it accepts connections but never answers", async () => {
    // A local listener that accepts but never answers: only the deadline can end the probe.
    const silent = createServer(() => {}).listen(0, "127.0.0.1");
    await new Promise((r) => silent.once("listening", r));
    const { port } = silent.address() as { port: number };
    const health = await checkHealth(db(), `redis://127.0.0.1:${port}`, 500);
    silent.close();
    expect(health.redis).toBe("down");
  });

  it("reports PostgreSQL down", async () => {
    const port = await freePort();
    const deadDb = new PrismaClient({
      adapter: new PrismaPg({ connectionString: `postgresql://postgres@127.0.0.1:${port}/x` }),
    });
    const health = await checkHealth(deadDb, undefined);
    await deadDb.$disconnect();
    expect(health).toEqual({ status: "degraded", db: "down", redis: "ok", error: "PostgreSQL unreachable" });
  });
});
