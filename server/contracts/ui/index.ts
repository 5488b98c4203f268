/**
 * What the partner web UI receives from tRPC: every procedure's `.output()` schema, camelCase throughout
 * (the REST API keeps the seed's snake_case; server/api/camel-keys.ts renames at the tRPC edge). An
 * output schema is the allow-list of what reaches a browser: zod strips every key it does not declare,
 * and no schema declares a password, hash or key (tests/unit/trpc-outputs.test.ts checks both).
 * Not re-exported by server/contracts/index.ts: the appliance has no use for them.
 */

export * from "./activity";
export * from "./api-tokens";
export * from "./common";
export * from "./compliance";
export * from "./compliance-settings";
export * from "./dc-certificates";
export * from "./directory";
export * from "./lists";
export * from "./notifications";
export * from "./partner";
export * from "./provision-codes";
export * from "./sites";
