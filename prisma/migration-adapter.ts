/**
 * A migration-aware driver adapter for `prisma migrate` with `engine: "js"` on adapter-pg 6.19.3.
 * It works around three adapter defects (see ../shared/notes/prisma-offline.md):
 *  1. prisma/prisma#27403: catalog columns typed `name` (19), `"char"` (18) and `name[]` (1003)
 *     cannot be deserialised, so we report them as text / text[].
 *  2. connectToShadowDb() ignores the database override when given a connection string, so the
 *     adapter is built from a parsed config object instead.
 *  3. the shadow database is dropped before its pool is closed; we close first, then DROP ... WITH (FORCE).
 * Only the Prisma CLI loads this file; the application uses a plain PrismaPg adapter.
 */
import { randomUUID } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import type { PoolConfig } from "pg";

const TYPE_REMAP: Record<number, number> = { 19: 25, 18: 25, 1003: 1009 };

type Field = { dataTypeID: number };
type IOResult = { fields?: Field[] } | undefined;
type Queryable = { performIO: (query: unknown) => Promise<IOResult> };

let patched = false;
function patchPerformIO(adapter: object): void {
  if (patched) return;
  // PgQueryable is not exported; it is the prototype shared by the adapter and its transactions.
  const proto = Object.getPrototypeOf(Object.getPrototypeOf(adapter)) as Queryable;
  const original = proto.performIO;
  proto.performIO = async function (this: Queryable, query: unknown) {
    const result = await original.call(this, query);
    // A multi-statement script returns results without `fields`.
    for (const field of result?.fields ?? []) {
      const remapped = TYPE_REMAP[field.dataTypeID];
      if (remapped !== undefined) field.dataTypeID = remapped;
    }
    return result;
  };
  patched = true;
}

export function poolConfigFromUrl(url: string): PoolConfig {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : 5432,
    user: decodeURIComponent(u.username || "postgres"),
    password: u.password ? decodeURIComponent(u.password) : undefined,
    database: decodeURIComponent(u.pathname.replace(/^\//, "")) || "postgres",
  };
}

export function migrationAdapterFactory(url: string) {
  const config = poolConfigFromUrl(url);
  const base = new PrismaPg(config);
  return {
    provider: "postgres" as const,
    adapterName: base.adapterName,
    async connect() {
      const adapter = await base.connect();
      patchPerformIO(adapter);
      return adapter;
    },
    async connectToShadowDb() {
      const main = await base.connect();
      patchPerformIO(main);
      const database = `prisma_shadow_${randomUUID().replaceAll("-", "")}`;
      await main.executeScript(`CREATE DATABASE "${database}"`);
      const shadow = await new PrismaPg({ ...config, database }).connect();
      const dispose = shadow.dispose.bind(shadow);
      shadow.dispose = async () => {
        await dispose();
        await main.executeScript(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
        await main.dispose();
      };
      return shadow;
    },
  };
}
