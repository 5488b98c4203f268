/**
 * tRPC for the partner web UI. Procedures stay thin: they check the caller's role, then call one
 * service function with the caller's tenant id. Domain AppErrors become tRPC errors with the same
 * message; zod input errors are flattened for forms; anything else is a generic 500.
 */
import { initTRPC, TRPCError } from "@trpc/server";
import { z } from "zod";
import { PARTNER_ADMIN_ONLY_MESSAGE } from "@/server/auth/messages";
import { getSessionUser, type SessionUser } from "@/server/auth/session";
import { db } from "@/server/db";
import { AppError, ERROR_CODES, INTERNAL_ERROR_MESSAGE } from "@/server/errors";
import { CLIENT_IP_HEADER } from "@/server/http/client-ip";
import { logger } from "@/server/logger";

/** `ip`: the caller's address from the trusted client-IP header (see client-ip.ts), for audit events. */
export type Context = { user: SessionUser | null; db: ReturnType<typeof db>; ip?: string | null };

/** Testable context: tests pass a user directly. */
export function createContextInner(opts: { user: SessionUser | null; ip?: string | null }): Context {
  return { user: opts.user, db: db(), ip: opts.ip ?? null };
}

export async function createContext(opts: { req: Request }): Promise<Context> {
  return createContextInner({
    user: await getSessionUser(opts.req.headers),
    ip: opts.req.headers.get(CLIENT_IP_HEADER),
  });
}

/** A refused input, field by field, by the names the caller sent (zod's own message is a JSON dump). */
function describeInputError(error: z.ZodError): string {
  return error.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)).join("; ");
}

const t = initTRPC.context<Context>().create({
  errorFormatter({ shape, error }) {
    const zodError = error.cause instanceof z.ZodError ? z.flattenError(error.cause) : null;
    const message =
      error.code === "INTERNAL_SERVER_ERROR" && !(error.cause instanceof AppError)
        ? INTERNAL_ERROR_MESSAGE
        : error.code === "BAD_REQUEST" && error.cause instanceof z.ZodError
          ? describeInputError(error.cause)
          : shape.message;
    return { ...shape, message, data: { code: shape.data.code, httpStatus: shape.data.httpStatus, zodError } };
  },
});

const mapErrors = t.middleware(async ({ next, path }) => {
  const result = await next();
  if (!result.ok) {
    const cause = result.error.cause;
    if (cause instanceof AppError) {
      throw new TRPCError({ code: ERROR_CODES[cause.code].trpc, message: cause.message, cause });
    }
    if (result.error.code === "INTERNAL_SERVER_ERROR")
      logger().error({ err: cause ?? result.error, path }, "tRPC error");
  }
  return result;
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure.use(mapErrors);

export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue." });
  return next({ ctx: { ...ctx, user: ctx.user } });
});

/** A partner user (admin or technician); ctx.partnerId is the tenant every query is scoped to. */
export const partnerProcedure = authedProcedure.use(({ ctx, next }) => {
  const { partnerId, role } = ctx.user;
  if (!partnerId || (role !== "partner_admin" && role !== "partner_technician")) {
    throw new TRPCError({ code: "FORBIDDEN", message: "This page is for partner accounts." });
  }
  return next({ ctx: { ...ctx, partnerId } });
});

export { PARTNER_ADMIN_ONLY_MESSAGE };

/**
 * Changes to credentials, API tokens, users and appliances. Technicians (partnerProcedure) may read
 * everything but passwords, create provision codes and request scans.
 */
export const partnerAdminProcedure = partnerProcedure.use(({ ctx, next }) => {
  if (ctx.user.role !== "partner_admin") {
    throw new TRPCError({ code: "FORBIDDEN", message: PARTNER_ADMIN_ONLY_MESSAGE });
  }
  return next();
});

export const platformAdminProcedure = authedProcedure.use(({ ctx, next }) => {
  if (ctx.user.role !== "platform_admin") {
    throw new TRPCError({ code: "FORBIDDEN", message: "Only a platform admin can do this." });
  }
  return next();
});
