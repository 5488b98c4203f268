import { activityRouter } from "./routers/activity";
import { apiTokensRouter } from "./routers/api-tokens";
import { appliancesRouter } from "./routers/appliances";
import { complianceSettingsRouter } from "./routers/compliance-settings";
import { invitesRouter } from "./routers/invites";
import { notificationsRouter } from "./routers/notifications";
import { partnerRouter } from "./routers/partner";
import { provisionCodesRouter } from "./routers/provision-codes";
import { sitesRouter } from "./routers/sites";
import { usersRouter } from "./routers/users";
import { createCallerFactory, router } from "./trpc";

export const appRouter = router({
  activity: activityRouter,
  apiTokens: apiTokensRouter,
  appliances: appliancesRouter,
  complianceSettings: complianceSettingsRouter,
  invites: invitesRouter,
  notifications: notificationsRouter,
  partner: partnerRouter,
  provisionCodes: provisionCodesRouter,
  sites: sitesRouter,
  users: usersRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
