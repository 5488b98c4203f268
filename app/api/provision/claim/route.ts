import { ClaimRequest } from "@/server/contracts";
import { db } from "@/server/db";
import { claimProvisionCode } from "@/server/domain/provisioning/claim-provision-code";
import { withGuessLimit } from "@/server/domain/provisioning/guess-limiter";
import { getEnv } from "@/server/env";
import { methods, route } from "@/server/http/route";

export const dynamic = "force-dynamic";

// POST /api/provision/claim – an appliance swaps a one-time provision code for its site and registers its key.
export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: route({ auth: "public", body: ClaimRequest }, ({ body, ip }) =>
    withGuessLimit(ip, () => claimProvisionCode(db(), body, { ip, apiEndpoint: getEnv().PUBLIC_URL })),
  ),
});
