/** RFC 2782 ordering: by priority, weighted random within a priority (seeded RNG). */
import type { SrvRecord } from "node:dns";
import { describe, expect, it } from "vitest";
import { orderSrvRecords } from "../../src/directory/discovery/srv-order";

/** mulberry32: a small seeded PRNG, so the "random" order is the same on every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const srv = (name: string, priority: number, weight: number): SrvRecord => ({ name, port: 389, priority, weight });

describe("orderSrvRecords", () => {
  it("lowest priority first, whatever the weights", () => {
    const ordered = orderSrvRecords([srv("c", 20, 100), srv("a", 0, 1), srv("b", 10, 100)], seeded(1));
    expect(ordered.map((r) => r.name)).toEqual(["a", "b", "c"]);
  });

  it("is deterministic for a seed and keeps every record", () => {
    const records = [srv("dc1", 0, 50), srv("dc2", 0, 30), srv("dc3", 0, 20), srv("dr", 10, 0)];
    const a = orderSrvRecords(records, seeded(42)).map((r) => r.name);
    const b = orderSrvRecords(records, seeded(42)).map((r) => r.name);
    expect(a).toEqual(b);
    expect([...a].sort()).toEqual(["dc1", "dc2", "dc3", "dr"]);
    expect(a[3]).toBe("dr");
  });

  it("picks first in proportion to weight (10,000 seeded draws)", () => {
    const records = [srv("heavy", 0, 60), srv("medium", 0, 30), srv("light", 0, 10)];
    const random = seeded(7);
    const firsts: Record<string, number> = { heavy: 0, medium: 0, light: 0 };
    for (let i = 0; i < 10_000; i++) {
      const first = orderSrvRecords(records, random)[0]?.name ?? "";
      firsts[first] = (firsts[first] ?? 0) + 1;
    }
    // Expected shares 60/30/10 % (weights over a sum of 100; a pick of 0..100 inclusive).
    expect(firsts.heavy).toBeGreaterThan(5700);
    expect(firsts.heavy).toBeLessThan(6300);
    expect(firsts.medium).toBeGreaterThan(2700);
    expect(firsts.medium).toBeLessThan(3300);
    expect(firsts.light).toBeGreaterThan(800);
    expect(firsts.light).toBeLessThan(1200);
  });

  it("weight-0 records come first within their priority only when the random pick is 0", () => {
    const records = [srv("zero", 0, 0), srv("ten", 0, 10)];
    expect(orderSrvRecords(records, () => 0).map((r) => r.name)).toEqual(["zero", "ten"]);
    expect(orderSrvRecords(records, () => 0.99).map((r) => r.name)).toEqual(["ten", "zero"]);
  });
});
