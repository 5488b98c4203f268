/**
 * The partner UI sees one field-naming convention: camelCase. The service layer answers in the REST
 * API's snake_case (the seed's wire names, shared by both transports), so tRPC procedures rename keys
 * here, at the edge, and their `.output()` schema (server/contracts/ui) then checks the shape and strips
 * anything it does not declare. Values are never touched: only object keys are renamed, deeply.
 */

type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S;

export type CamelKeys<T> = T extends Date
  ? T
  : T extends readonly (infer U)[]
    ? CamelKeys<U>[]
    : T extends object
      ? { [K in keyof T as K extends string ? CamelCase<K> : K]: CamelKeys<T[K]> }
      : T;

const camel = (key: string) => key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

export function camelKeys<T>(value: T): CamelKeys<T> {
  if (Array.isArray(value)) return value.map(camelKeys) as CamelKeys<T>;
  if (value === null || typeof value !== "object" || value instanceof Date) return value as CamelKeys<T>;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [camel(k), camelKeys(v)])) as CamelKeys<T>;
}
