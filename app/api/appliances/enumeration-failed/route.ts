import { EnumerationFailedRequest } from "@/server/contracts";
import { db } from "@/server/db";
import { recordEnumerationFailed } from "@/server/domain/directory/receive-enumeration";
import { methods, route } from "@/server/http/route";

export const dynamic = "force-dynamic";

// POST /api/appliances/enumeration-failed – enumeration could not run; the error reaches the partner (its own key).
export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: route({ auth: "appliance", body: EnumerationFailedRequest }, ({ principal, body }) =>
    recordEnumerationFailed(db(), principal, body),
  ),
});
