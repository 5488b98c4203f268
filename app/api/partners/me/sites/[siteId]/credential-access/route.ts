import { z } from "zod";
import { CredentialAccessQuery } from "@/server/contracts";
import { db } from "@/server/db";
import { listCredentialAccess } from "@/server/domain/credential-access/list-credential-access";
import { methods, route } from "@/server/http/route";

export const dynamic = "force-dynamic";

const params = z.object({ siteId: z.string().min(1).max(120) });

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  // GET /api/partners/me/sites/{site_id}/credential-access?limit=&cursor=&credential_id= – who received
  // the site's credentials: one entry per appliance · credential · hour, newest hour first, paged by next_cursor.
  GET: route({ auth: "partner-token", params, query: CredentialAccessQuery }, ({ principal, params, query }) =>
    listCredentialAccess(db(), principal.partnerId, params.siteId, query),
  ),
});
