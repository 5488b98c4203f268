import { z } from "zod";
import { ProvisionCodeString } from "@/server/contracts";
import { db } from "@/server/db";
import { validateProvisionCode } from "@/server/domain/provisioning/claim-provision-code";
import { withGuessLimit } from "@/server/domain/provisioning/guess-limiter";
import { badRequest } from "@/server/errors";
import { methods, route } from "@/server/http/route";

export const dynamic = "force-dynamic";

// GET /api/provision/validate/{code} – is this code claimable? Answers the partner's branding only.
export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: route({ auth: "public", params: z.object({ code: z.string() }) }, async ({ params, ip }) => {
    const code = ProvisionCodeString.safeParse(params.code);
    if (!code.success) throw badRequest("Provision code must be 16 characters, upper-case letters A-Z and digits 0-9.");
    return withGuessLimit(ip, () => validateProvisionCode(db(), code.data));
  }),
});
