import { describe, expect, it } from "vitest";
import { Batcher, runShutdownHooks } from "@/server/domain/checkin/batcher";

describe("Batcher", () => {
  it("the shutdown flush also writes items added while a flush was in flight", async () => {
    const written: string[] = [];
    let release: () => void = () => {};
    const firstWriteBlocked = new Promise<void>((r) => {
      release = r;
    });
    let calls = 0;
    const batcher = new Batcher<string, string>(
      "test",
      async (items) => {
        if (calls++ === 0) await firstWriteBlocked; // the timer's flush is slow
        written.push(...items.map(([k]) => k));
      },
      { intervalMs: 60_000, maxBatch: 1_000 },
    );
    batcher.add("a", "a");
    const inFlight = batcher.flush(); // takes "a"
    batcher.add("b", "b"); // arrives while "a" is being written
    const shutdown = runShutdownHooks();
    release();
    await Promise.all([inFlight, shutdown]);
    expect(written.sort()).toEqual(["a", "b"]);
    expect(batcher.size).toBe(0);
  });

  it("keeps a failed batch and writes it on the next flush", async () => {
    const written: string[] = [];
    let fail = true;
    const batcher = new Batcher<string, string>(
      "test-fail",
      async (items) => {
        if (fail) throw new Error("database unavailable");
        written.push(...items.map(([k]) => k));
      },
      { intervalMs: 60_000, maxBatch: 1_000 },
    );
    batcher.add("x", "x");
    await batcher.flush();
    expect(written).toEqual([]);
    expect(batcher.size).toBe(1);
    fail = false;
    await batcher.flush();
    expect(written).toEqual(["x"]);
  });
});
