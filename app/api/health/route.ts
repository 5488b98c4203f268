import { db } from "@/server/db";
import { checkHealth } from "@/server/domain/health/check-health";
import { jsonResponse } from "@/server/http/respond";
import { methods, route } from "@/server/http/route";

export const dynamic = "force-dynamic";

// GET /api/health – 200 when PostgreSQL and Redis answer, 503 naming the part that does not.
export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: route({ auth: "public" }, async () => {
    const health = await checkHealth(db());
    return jsonResponse(health, health.status === "ok" ? 200 : 503);
  }),
});
