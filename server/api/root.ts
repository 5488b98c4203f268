import { partnerRouter } from "./routers/partner";
import { createCallerFactory, router } from "./trpc";

export const appRouter = router({
  partner: partnerRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
