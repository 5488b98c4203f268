import { EnumerationResultsRequest } from "@/server/contracts";
import { db } from "@/server/db";
import { receiveEnumerationResults } from "@/server/domain/directory/receive-enumeration";
import { ENUMERATION_MAX_BODY_BYTES } from "@/server/http/body";
import { methods, route } from "@/server/http/route";

export const dynamic = "force-dynamic";

// POST /api/appliances/enumeration-results – a run (or one chunk of it) of AD computers; 202 with the merge's job id.
export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: route(
    { auth: "appliance", body: EnumerationResultsRequest, status: 202, maxBodyBytes: ENUMERATION_MAX_BODY_BYTES },
    ({ principal, body }) => receiveEnumerationResults(db(), principal, body),
  ),
});
