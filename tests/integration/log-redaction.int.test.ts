import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pino from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { GET as validateGET } from "@/app/api/provision/validate/[code]/route";
import { disconnectDb } from "@/server/db";
import { resetEnvCache } from "@/server/env";
import { createLogger, setLogger } from "@/server/logger";
import { closeRedis } from "@/server/redis";
import { callRoute } from "../support/factories";
import { TEST_DATABASE_URL, testEnv } from "../support/test-env";

afterAll(async () => {
  process.env.DATABASE_URL = TEST_DATABASE_URL;
  process.env.LOG_LEVEL = testEnv.LOG_LEVEL;
  resetEnvCache();
  setLogger(createLogger());
  await disconnectDb();
  await closeRedis();
});

describe("secret path parameters in logs", () => {
  it("a 500 on /api/provision/validate/{code} is logged, with the code cut out of the path", async () => {
    // The real logger, writing to a real pino file destination.
    const file = path.join(mkdtempSync(path.join(tmpdir(), "osiris-log-")), "out.log");
    const destination = pino.destination({ dest: file, sync: true });
    process.env.LOG_LEVEL = "info";
    // The database call fails for real: the client points at a database that does not exist.
    const missing = new URL(TEST_DATABASE_URL);
    missing.pathname = "/osiriscare_no_such_database";
    process.env.DATABASE_URL = missing.toString();
    resetEnvCache();
    await disconnectDb();
    setLogger(createLogger(destination));

    const code = "QZ7K4M2P9X3R8T5W";
    const url = `${testEnv.PUBLIC_URL}/api/provision/validate/${code}`;
    const res = await callRoute(validateGET, new Request(url, { headers: { "x-osiris-client-ip": "192.0.2.44" } }), {
      code,
    });
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: expect.any(String) });

    destination.flushSync();
    const out = readFileSync(file, "utf8");
    const lines = out
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const error = lines.find((l) => l.msg === "unhandled error in route handler");
    expect(error).toBeDefined();
    expect(error?.path).toBe("/api/provision/validate/[redacted]");
    expect(out).not.toContain(code);
  });
});
