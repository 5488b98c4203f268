/**
 * The hosts an appliance may report results for: its site's Windows targets, i.e. the hosts of manual
 * credentials and the servers from Active Directory that were approved (what the check-in hands out,
 * windows-targets.ts). An approved server since disabled or gone from AD still counts: its results may have
 * waited in the appliance's journal, and refusing them would block that journal for good.
 */
import type { Prisma } from "@/server/generated/prisma/client";

/** The hostnames (lower-case) that are none of the site's Windows targets, sorted. */
export async function findUnknownScanHosts(
  tx: Prisma.TransactionClient,
  siteId: string,
  hostnames: string[],
): Promise<string[]> {
  if (hostnames.length === 0) return [];
  const rows = await tx.$queryRaw<Array<{ hostname: string }>>`
    SELECT h.hostname FROM jsonb_array_elements_text(${JSON.stringify(hostnames)}::jsonb) AS h(hostname)
    WHERE NOT EXISTS (SELECT 1 FROM windows_targets t
                      WHERE t.site_id = ${siteId} AND t.hostname = h.hostname AND t.approval = 'approved')
      AND NOT EXISTS (SELECT 1 FROM site_credentials c
                      WHERE c.site_id = ${siteId} AND c.host IS NOT NULL AND lower(c.host) = h.hostname)
    ORDER BY h.hostname`;
  return rows.map((r) => r.hostname);
}
