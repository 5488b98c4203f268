import { z } from "zod";

const PartState = z.enum(["ok", "down"]);

/** GET /api/health: 200 when every part is ok, 503 otherwise (with `error` naming the failing parts). */
export const HealthResponse = z.object({
  status: z.enum(["ok", "degraded"]),
  db: PartState,
  redis: PartState,
  error: z.string().optional(),
});
export type HealthResponse = z.infer<typeof HealthResponse>;
