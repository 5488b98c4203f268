import { activityRouter } from "./routers/activity";
import { apiTokensRouter } from "./routers/api-tokens";
import { notificationsRouter } from "./routers/notifications";
import { partnerRouter } from "./routers/partner";
import { provisionCodesRouter } from "./routers/provision-codes";
import { sitesRouter } from "./routers/sites";
import { createCallerFactory, router } from "./trpc";

export const appRouter = router({
  activity: activityRouter,
  apiTokens: apiTokensRouter,
  notifications: notificationsRouter,
  partner: partnerRouter,
  provisionCodes: provisionCodesRouter,
  sites: sitesRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
