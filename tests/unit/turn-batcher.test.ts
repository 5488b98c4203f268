import { describe, expect, it } from "vitest";
import { TurnBatcher } from "@/server/lib/turn-batcher";

const tick = () => new Promise((r) => setImmediate(r));

describe("TurnBatcher", () => {
  it("sends the calls of one event-loop turn as one batch and gives each call its own result", async () => {
    const batches: number[][] = [];
    const b = new TurnBatcher<number, number>({
      run: async (items) => {
        batches.push(items);
        return items.map((n) => n * 10);
      },
    });
    const results = await Promise.all([b.submit(1), b.submit(2), b.submit(3)]);
    expect(results).toEqual([10, 20, 30]);
    expect(batches).toEqual([[1, 2, 3]]);
    expect(await b.submit(4)).toBe(40);
    expect(batches).toEqual([[1, 2, 3], [4]]);
  });

  it("sends a batch as soon as it is full", async () => {
    const batches: number[][] = [];
    const b = new TurnBatcher<number, null>({
      maxBatch: 2,
      run: async (items) => {
        batches.push(items);
        return items.map(() => null);
      },
    });
    await Promise.all([1, 2, 3, 4, 5].map((n) => b.submit(n)));
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
  });

  it("with one batch in flight, merges everything that arrives meanwhile into the next batch", async () => {
    const batches: number[][] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const b = new TurnBatcher<number, null>({
      maxInFlight: 1,
      run: async (items) => {
        batches.push(items);
        if (batches.length === 1) await gate;
        return items.map(() => null);
      },
    });
    const first = b.submit(1);
    await tick();
    const later = [b.submit(2)];
    await tick();
    later.push(b.submit(3));
    await tick();
    expect(batches).toEqual([[1]]);
    release();
    await Promise.all([first, ...later]);
    expect(batches).toEqual([[1], [2, 3]]);
  });

  it("rejects every call of a batch that fails, even by a synchronous throw, and keeps working", async () => {
    let fail = true;
    const b = new TurnBatcher<number, number>({
      run: (items) => {
        if (fail) throw new Error("database gone");
        return Promise.resolve(items);
      },
    });
    const outcomes = await Promise.allSettled([b.submit(1), b.submit(2)]);
    expect(outcomes.map((o) => o.status)).toEqual(["rejected", "rejected"]);
    fail = false;
    expect(await b.submit(3)).toBe(3);
  });
});
