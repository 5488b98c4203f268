/**
 * Reads a site's credential access log: who received which credential, when, how often. Scoped to the
 * caller's partner (another partner's site: 404). Keyset-paged in the order of the index
 * (site, hour DESC, appliance, credential), whose keys never change once a row exists, so paging while
 * check-ins keep bumping the current hour neither skips nor repeats an entry.
 */
import { z } from "zod";
import { type CredentialAccessPage, CredentialAccessQuery } from "@/server/contracts";
import type { Db } from "@/server/db";
import { badRequest } from "@/server/errors";
import { assertPartnerSite } from "../shared/site-ownership";

const Cursor = z.tuple([z.string().datetime(), z.string().min(1), z.string().min(1)]);

function encodeCursor(row: { hour: Date; applianceId: string; credentialId: string }): string {
  return Buffer.from(JSON.stringify([row.hour.toISOString(), row.applianceId, row.credentialId])).toString("base64url");
}

function decodeCursor(cursor: string): z.infer<typeof Cursor> {
  try {
    return Cursor.parse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
  } catch {
    throw badRequest("Invalid cursor. Pass the next_cursor of the previous page unchanged.");
  }
}

export async function listCredentialAccess(
  db: Db,
  partnerId: string,
  siteId: string,
  query: CredentialAccessQuery = {},
): Promise<CredentialAccessPage> {
  await assertPartnerSite(db, partnerId, siteId);
  const { limit, cursor, credential_id } = CredentialAccessQuery.parse(query);
  const after = cursor ? decodeCursor(cursor) : null;
  const rows = await db.credentialAccess.findMany({
    where: {
      siteId,
      ...(credential_id ? { credentialId: credential_id } : {}),
      ...(after
        ? {
            OR: [
              { hour: { lt: new Date(after[0]) } },
              { hour: new Date(after[0]), applianceId: { gt: after[1] } },
              { hour: new Date(after[0]), applianceId: after[1], credentialId: { gt: after[2] } },
            ],
          }
        : {}),
    },
    orderBy: [{ hour: "desc" }, { applianceId: "asc" }, { credentialId: "asc" }],
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    access: page.map((r) => ({
      credential_id: r.credentialId,
      appliance_id: r.applianceId,
      first_released_at: r.firstReleasedAt.toISOString(),
      last_released_at: r.lastReleasedAt.toISOString(),
      count: r.count,
    })),
    next_cursor: rows.length > limit && last ? encodeCursor(last) : null,
  };
}
