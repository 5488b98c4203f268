// /api/auth/* – better-auth's sign-in, sign-out and session endpoints.
import { auth } from "@/server/auth/auth";
import { withErrorField } from "@/server/auth/error-shape";

export const dynamic = "force-dynamic";

const handler = async (req: Request) => withErrorField(await auth().handler(req));

export { handler as GET, handler as POST };
