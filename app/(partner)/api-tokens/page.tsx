import { requirePartnerUser } from "@/app/lib/server-session";
import { ApiTokens } from "./api-tokens";

export const metadata = { title: "API tokens · OsirisCare Central Command" };

/** Partner admins only; the tRPC procedures refuse anyone else regardless of this page. */
export default async function ApiTokensPage() {
  const user = await requirePartnerUser();
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold">API tokens</h1>
        <p className="text-sm text-slate-500">
          Tokens for scripts and integrations that call the REST API (<code>Authorization: Bearer …</code>). A{" "}
          <strong>read</strong> token can only read; a <strong>full</strong> token can do everything a partner admin
          can. Revoke a token you no longer use: it stops working at once.
        </p>
      </div>
      {user.role === "partner_admin" ? (
        <ApiTokens />
      ) : (
        <p data-testid="admin-only" className="rounded-md bg-amber-50 p-4 text-sm text-amber-800">
          Only a partner admin can manage API tokens. Ask one of your partner admins.
        </p>
      )}
    </div>
  );
}
