/**
 * The partner UI sees one field-naming convention: camelCase. The service layer answers in the REST
 * API's snake_case (the seed's wire names, shared by both transports), so tRPC procedures rename keys
 * here, at the edge, and their `.output()` schema (server/contracts/ui) then checks the shape and strips
 * anything it does not declare. Inputs go the other way: a procedure takes camelCase (camel-input.ts) and
 * hands the service `snakeKeys(input)`. Values are never touched: only object keys are renamed, deeply.
 */

export type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S;

export type SnakeCase<S extends string> = S extends `${infer C}${infer Rest}`
  ? `${C extends Lowercase<C> ? C : `_${Lowercase<C>}`}${SnakeCase<Rest>}`
  : S;

export type CamelKeys<T> = T extends Date
  ? T
  : T extends readonly (infer U)[]
    ? CamelKeys<U>[]
    : T extends object
      ? { [K in keyof T as K extends string ? CamelCase<K> : K]: CamelKeys<T[K]> }
      : T;

export type SnakeKeys<T> = T extends Date
  ? T
  : T extends readonly (infer U)[]
    ? SnakeKeys<U>[]
    : T extends object
      ? { [K in keyof T as K extends string ? SnakeCase<K> : K]: SnakeKeys<T[K]> }
      : T;

export const camelCase = <S extends string>(key: S) =>
  key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()) as CamelCase<S>;

export const snakeCase = <S extends string>(key: S) =>
  key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`) as SnakeCase<S>;

function renameKeys(value: unknown, rename: (key: string) => string): unknown {
  if (Array.isArray(value)) return value.map((v) => renameKeys(v, rename));
  if (value === null || typeof value !== "object" || value instanceof Date) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [rename(k), renameKeys(v, rename)]));
}

export function camelKeys<T>(value: T): CamelKeys<T> {
  return renameKeys(value, camelCase) as CamelKeys<T>;
}

export function snakeKeys<T>(value: T): SnakeKeys<T> {
  return renameKeys(value, snakeCase) as SnakeKeys<T>;
}
