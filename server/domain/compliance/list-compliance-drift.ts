/**
 * GET /api/partners/me/sites/{site_id}/compliance/drift: the site's drift timeline, every change of status
 * of a host and control, newest observation first. Keyset-paged on (checked_at, id), which never change once
 * stored, so paging while new results arrive neither skips nor repeats an event. Scoped by partner.
 */
import { z } from "zod";
import {
  type ComplianceDriftEvent,
  type ComplianceDriftPage,
  ComplianceDriftQuery,
  complianceControl,
} from "@/server/contracts";
import type { Db } from "@/server/db";
import { badRequest } from "@/server/errors";
import { assertPartnerSite } from "../shared/site-ownership";

const Cursor = z.tuple([z.string().datetime(), z.string().regex(/^\d{1,19}$/)]);

function encodeCursor(row: { checkedAt: Date; id: bigint }): string {
  return Buffer.from(JSON.stringify([row.checkedAt.toISOString(), row.id.toString()])).toString("base64url");
}

function decodeCursor(cursor: string): { checkedAt: Date; id: bigint } {
  try {
    const [at, id] = Cursor.parse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
    return { checkedAt: new Date(at), id: BigInt(id) };
  } catch {
    throw badRequest("Invalid cursor. Pass the next_cursor of the previous page unchanged.");
  }
}

export async function listComplianceDrift(
  db: Db,
  partnerId: string,
  siteId: string,
  query: ComplianceDriftQuery = {},
): Promise<ComplianceDriftPage> {
  await assertPartnerSite(db, partnerId, siteId);
  const q = ComplianceDriftQuery.parse(query);
  const after = q.cursor ? decodeCursor(q.cursor) : null;
  const rows = await db.complianceResult.findMany({
    where: {
      siteId,
      site: { partnerId },
      drift: true,
      ...(q.hostname ? { hostname: q.hostname } : {}),
      ...(q.check ? { check: q.check } : {}),
      ...(after
        ? { OR: [{ checkedAt: { lt: after.checkedAt } }, { checkedAt: after.checkedAt, id: { lt: after.id } }] }
        : {}),
    },
    orderBy: [{ checkedAt: "desc" }, { id: "desc" }],
    take: q.limit + 1,
  });
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    drift: page.map(
      (r): ComplianceDriftEvent => ({
        id: r.id.toString(),
        hostname: r.hostname,
        check: r.check as ComplianceDriftEvent["check"],
        // A drift row always has its previous status (store-results.ts); "unknown" only guards the type.
        from: r.previousStatus ?? "unknown",
        to: r.status,
        observed: r.observed,
        expected: r.expected,
        source: r.source,
        checked_at: r.checkedAt.toISOString(),
        received_at: r.receivedAt.toISOString(),
        hipaa_control: complianceControl(r.check).hipaa_control,
      }),
    ),
    next_cursor: rows.length > q.limit && last ? encodeCursor(last) : null,
  };
}
