// /api/auth/* – better-auth's sign-in, sign-out and session endpoints.
import { toNextJsHandler } from "better-auth/next-js";
import { auth } from "@/server/auth/auth";

export const dynamic = "force-dynamic";

const handler = (req: Request) => auth().handler(req);
export const { GET, POST } = toNextJsHandler(handler);
