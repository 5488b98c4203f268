import { z } from "zod";
import { ApiTokenScope } from "../partners";
import { Timestamp } from "./common";

/** apiTokens.list / apiTokens.revoke: a token as listed, never the token itself nor its hash. */
export const ApiTokenView = z.object({
  id: z.string(),
  name: z.string(),
  scope: ApiTokenScope,
  /** The token's first characters, to tell tokens apart. */
  prefix: z.string(),
  createdAt: Timestamp,
  expiresAt: Timestamp.nullable(),
  lastUsedAt: Timestamp.nullable(),
  revokedAt: Timestamp.nullable(),
});
export type ApiTokenView = z.infer<typeof ApiTokenView>;

/** apiTokens.create: the only answer that carries the token, shown once. */
export const ApiTokenCreatedView = z.object({
  id: z.string(),
  name: z.string(),
  scope: ApiTokenScope,
  token: z.string(),
  expiresAt: Timestamp.nullable(),
});
export type ApiTokenCreatedView = z.infer<typeof ApiTokenCreatedView>;
