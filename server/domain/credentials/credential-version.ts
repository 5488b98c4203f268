/**
 * A per-site counter in Redis that changes whenever the site's credentials change. Check-ins cache a
 * site's encrypted credential rows and re-read them only when the counter moves, so a rotation reaches
 * the next check-in of every web instance while unchanged sites cost no database query.
 */
import { logger } from "@/server/logger";
import { redis } from "@/server/redis";

export const credentialVersionKey = (siteId: string) => `credver:${siteId}`;

export async function bumpCredentialVersion(siteId: string): Promise<void> {
  try {
    await redis().incr(credentialVersionKey(siteId));
  } catch (err) {
    // Readers treat an unreadable version as "unknown" and go to the database.
    logger().error({ err: (err as Error).message, siteId }, "could not bump credential version");
  }
}
