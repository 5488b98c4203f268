/**
 * tRPC inputs are camelCase, like everything else the UI sees; the REST API keeps the seed's snake_case.
 * `camelObject` derives a procedure's input from the REST request schema in server/contracts: the same
 * field schemas (so the rules and their messages live in one place) under camelCase keys, so a zod error
 * names the field the caller sent (`credentialName`, not `credential_name`). The procedure then hands
 * the service `snakeKeys(input)` (camel-keys.ts).
 */
import { z } from "zod";
import { type CamelCase, camelCase, snakeCase } from "./camel-keys";

type CamelShape<S extends z.ZodRawShape> = { [K in keyof S & string as CamelCase<K>]: S[K] };

/** Renames the object's own keys (nested objects are left as they are). */
export function camelObject<S extends z.ZodRawShape>(schema: z.ZodObject<S>): z.ZodObject<CamelShape<S>> {
  const shape = Object.entries(schema.shape).map(([key, field]) => {
    // snakeKeys() must give the service back exactly the key it declared.
    if (snakeCase(camelCase(key)) !== key) throw new Error(`"${key}" has no camelCase twin that maps back to it`);
    return [camelCase(key), field];
  });
  return z.object(Object.fromEntries(shape)) as z.ZodObject<CamelShape<S>>;
}
