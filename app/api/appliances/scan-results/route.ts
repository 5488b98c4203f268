import { SCAN_RESULTS_MAX_BODY_BYTES, ScanResultsRequest } from "@/server/contracts";
import { db } from "@/server/db";
import { receiveScanResults } from "@/server/domain/compliance/receive-scan-results";
import { methods, route } from "@/server/http/route";

export const dynamic = "force-dynamic";

// POST /api/appliances/scan-results – a batch of compliance results; idempotent by batch_id.
export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: route(
    { auth: "appliance", body: ScanResultsRequest, maxBodyBytes: SCAN_RESULTS_MAX_BODY_BYTES },
    ({ principal, body }) => receiveScanResults(db(), principal, body),
  ),
});
