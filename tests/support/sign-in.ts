/** Real better-auth sign-ins for integration tests: the session cookie a browser would hold. */
import { POST as authPOST } from "@/app/api/auth/[...all]/route";
import { testEnv } from "./test-env";

export async function signIn(email: string, password: string): Promise<Response> {
  return authPOST(
    new Request(`${testEnv.PUBLIC_URL}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: testEnv.PUBLIC_URL },
      body: JSON.stringify({ email, password }),
    }),
  );
}

/** The Cookie header for a successful sign-in's session. */
export async function sessionCookie(email: string, password: string): Promise<string> {
  const res = await signIn(email, password);
  const setCookie = res.headers.getSetCookie().find((c) => c.startsWith("osiris.session_token="));
  if (res.status !== 200 || !setCookie) throw new Error(`sign-in of ${email} failed: ${res.status}`);
  return setCookie.split(";")[0] ?? "";
}
