/**
 * RFC 2782 order of SRV records: ascending priority; within one priority a weighted random order (records of
 * weight 0 first among the remaining, then each pick with probability proportional to its weight).
 * `random` returns [0, 1) like Math.random (tests pass a seeded generator).
 */
import type { SrvRecord } from "node:dns";

export function orderSrvRecords(records: readonly SrvRecord[], random: () => number = Math.random): SrvRecord[] {
  const priorities = [...new Set(records.map((r) => r.priority))].sort((a, b) => a - b);
  const out: SrvRecord[] = [];
  for (const priority of priorities) {
    const remaining = records.filter((r) => r.priority === priority);
    while (remaining.length > 0) {
      remaining.sort((a, b) => (a.weight === 0 ? 0 : 1) - (b.weight === 0 ? 0 : 1));
      const total = remaining.reduce((sum, r) => sum + r.weight, 0);
      const pick = Math.floor(random() * (total + 1));
      let running = 0;
      let index = remaining.findIndex((r) => {
        running += r.weight;
        return running >= pick;
      });
      if (index < 0) index = remaining.length - 1;
      out.push(...remaining.splice(index, 1));
    }
  }
  return out;
}
