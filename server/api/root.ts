import { partnerRouter } from "./routers/partner";
import { provisionCodesRouter } from "./routers/provision-codes";
import { createCallerFactory, router } from "./trpc";

export const appRouter = router({
  partner: partnerRouter,
  provisionCodes: provisionCodesRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
