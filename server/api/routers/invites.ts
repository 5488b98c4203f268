import { z } from "zod";
import { UserPassword } from "@/server/contracts/users";
import { acceptUserLink, describeUserLink, UserLinkInfo } from "@/server/domain/users/accept-user-link";
import { publicProcedure, router } from "../trpc";

const Token = z.string().min(1).max(200);

/**
 * The public invite page (/invite/<token>). No session: the one-time token is the credential, and it names
 * its own user and partner, so there is no tenant id a caller could swap.
 */
export const invitesRouter = router({
  get: publicProcedure
    .input(z.object({ token: Token }))
    .output(UserLinkInfo)
    .query(({ ctx, input }) => describeUserLink(ctx.db, input.token)),
  /** Sets the password and uses the link up; then the page signs in with the returned email. */
  accept: publicProcedure
    .input(z.object({ token: Token, password: UserPassword }))
    .output(z.object({ email: z.string() }))
    .mutation(({ ctx, input }) => acceptUserLink(ctx.db, input, ctx.ip ?? null)),
});
