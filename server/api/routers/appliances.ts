import { AppliancesQuery } from "@/server/contracts/lists";
import { ApplianceListView } from "@/server/contracts/ui";
import { listPartnerAppliances } from "@/server/domain/appliances/list-partner-appliances";
import { camelObject } from "../camel-input";
import { camelKeys, snakeKeys } from "../camel-keys";
import { partnerProcedure, router } from "../trpc";

export const appliancesRouter = router({
  /** Every appliance across the partner's sites: searched, filtered, sorted and paged in the database. */
  list: partnerProcedure
    .input(camelObject(AppliancesQuery).optional())
    .output(ApplianceListView)
    .query(async ({ ctx, input }) =>
      camelKeys(await listPartnerAppliances(ctx.db, ctx.partnerId, input ? snakeKeys(input) : {})),
    ),
});
