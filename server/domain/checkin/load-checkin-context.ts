/**
 * Everything a check-in needs, in one read-only round trip (no commit): the appliance behind the key,
 * whether it has flags pending or a scan awaiting its result, its site's encrypted credentials that
 * name a host, and the approved servers from Active Directory with the site's domain credential. The key is found by its keyed hash (unique index) and compared in constant time.
 *
 * Check-ins that arrive together share that round trip: lookups made in the same turn of the event loop
 * go to PostgreSQL as one statement (`= ANY($1)`), up to 256 keys. Alone, a check-in waits for nothing
 * (its batch is sent at the end of the turn); under load, one statement and one network write serve many,
 * which is most of what a check-in costs PostgreSQL and this process.
 */

import type { CheckinCompliance } from "@/server/contracts";
import { pgPool } from "@/server/db-pg";
import { unauthorized } from "@/server/errors";
import { parseBearer } from "@/server/http/bearer";
import { TurnBatcher } from "@/server/lib/turn-batcher";
import { APPLIANCE_KEY_PURPOSE, APPLIANCE_REVOKED_MESSAGE } from "../appliances/authenticate-appliance";
import type { StoredEnvelope } from "../credentials/decrypted-secret-cache";
import { hashSecret, safeEqual } from "../security/secrets";
import { type UnusableTarget, unusableTargetsKey } from "./unusable-targets";

export type CheckinContext = {
  applianceId: string;
  siteId: string;
  partnerId: string;
  publicKey: string | null;
  flagsPending: boolean;
  scanAwaited: boolean;
  /** Identity of the unusable targets last reported (unusable-targets.ts); "" when none. */
  unusableKey: string;
  /** Envelopes as stored (base64): decoded and opened only when not already open (decrypted-secret-cache.ts). */
  credentials: StoredCredential[];
  /**
   * Servers found in Active Directory and approved (enabled, still listed, not also a manual target): they
   * are scanned with the site's domain credential, which comes with them (null when there are none).
   */
  discovered: { hosts: string[]; credential: StoredCredential | null; netbiosName: string | null };
  /** The site's scan schedule and the partner's thresholds, as the check-in response carries them. */
  compliance: CheckinCompliance;
};

export type StoredCredential = { id: string } & StoredEnvelope;

const QUERY = {
  name: "checkin-context-v7",
  text: `
    SELECT a.id, a.site_id, a.api_key_hash, a.public_key, s.partner_id, a.revoked_at IS NOT NULL AS revoked, a.unusable_targets,
      s.scan_interval_minutes, p.patch_max_age_days, p.screen_lock_max_seconds, p.defender_signature_max_age_days, p.rmm_allow_list,
      EXISTS (SELECT 1 FROM appliance_triggers t WHERE t.appliance_id = a.id AND t.state = 'pending') AS flags_pending,
      EXISTS (SELECT 1 FROM appliance_triggers t WHERE t.appliance_id = a.id AND t.state = 'delivered'
              AND t.kind = 'immediate_scan') AS scan_awaited,
      COALESCE((SELECT json_agg(json_build_object('id', c.id, 'd', encode(c.encrypted_data, 'base64'),
                                                  'k', encode(c.wrapped_data_key, 'base64'), 'm', c.master_key_id)
                                ORDER BY c.created_at)
                FROM site_credentials c WHERE c.site_id = a.site_id AND c.host IS NOT NULL), '[]') AS credentials,
      d.hosts AS discovered_hosts,
      CASE WHEN d.hosts IS NOT NULL THEN
        (SELECT json_build_object('id', c.id, 'd', encode(c.encrypted_data, 'base64'),
                                  'k', encode(c.wrapped_data_key, 'base64'), 'm', c.master_key_id,
                                  'n', (SELECT dd.netbios_name FROM discovered_domains dd
                                        WHERE dd.site_id = c.site_id AND dd.netbios_name IS NOT NULL
                                          AND (dd.id = c.discovered_domain_id OR lower(dd.domain_name) = lower(c.domain))
                                        ORDER BY dd.id = c.discovered_domain_id DESC LIMIT 1))
         FROM site_credentials c WHERE c.site_id = a.site_id AND c.credential_type = 'domain_admin' AND c.host IS NULL
         ORDER BY c.created_at DESC LIMIT 1)
      END AS domain_credential
    FROM appliances a JOIN sites s ON s.id = a.site_id JOIN partners p ON p.id = s.partner_id
    LEFT JOIN LATERAL (
      SELECT json_agg(t.hostname ORDER BY t.hostname) AS hosts FROM windows_targets t
      WHERE t.site_id = a.site_id AND t.approval = 'approved' AND t.credential_id IS NOT NULL
        AND t.missing_since IS NULL AND t.enabled
        AND NOT EXISTS (SELECT 1 FROM site_credentials m
                        WHERE m.site_id = t.site_id AND m.host IS NOT NULL AND lower(m.host) = t.hostname)
    ) d ON true
    WHERE a.api_key_hash = ANY($1::text[])`,
};

type Row = {
  id: string;
  site_id: string;
  api_key_hash: string;
  public_key: string | null;
  partner_id: string;
  revoked: boolean;
  flags_pending: boolean;
  scan_awaited: boolean;
  unusable_targets: UnusableTarget[] | null;
  credentials: Array<{ id: string; d: string; k: string; m: string }>;
  discovered_hosts: string[] | null;
  scan_interval_minutes: number;
  patch_max_age_days: number;
  screen_lock_max_seconds: number;
  defender_signature_max_age_days: number;
  rmm_allow_list: string[];
  domain_credential: { id: string; d: string; k: string; m: string; n: string | null } | null;
};

const decode = (c: { id: string; d: string; k: string; m: string }): StoredCredential => ({
  id: c.id,
  encryptedData: c.d,
  wrappedDataKey: c.k,
  masterKeyId: c.m,
});

/** Keys looked up in one statement: those of the check-ins of one event-loop turn, up to 256. */
const lookups = new TurnBatcher<string, Row | undefined>({
  maxBatch: 256,
  run: async (hashes) => {
    const { rows } = await pgPool().query<Row>({ ...QUERY, values: [hashes] });
    const byHash = new Map(rows.map((r) => [r.api_key_hash, r]));
    return hashes.map((h) => byHash.get(h));
  },
});

export async function loadCheckinContext(authorization: string | null): Promise<CheckinContext> {
  const key = parseBearer(authorization);
  if (!key) throw unauthorized("Missing appliance key. Send it as 'Authorization: Bearer <api_key>'.");
  const hash = hashSecret(key, APPLIANCE_KEY_PURPOSE);
  const row = await lookups.submit(hash);
  if (!row || !safeEqual(row.api_key_hash, hash)) {
    throw unauthorized("Unknown appliance key. Re-provision the appliance with a new provision code.");
  }
  // Revoked: 401 before anything is released (revoke-appliance.ts).
  if (row.revoked) throw unauthorized(APPLIANCE_REVOKED_MESSAGE);
  return {
    applianceId: row.id,
    siteId: row.site_id,
    partnerId: row.partner_id,
    publicKey: row.public_key,
    flagsPending: row.flags_pending,
    scanAwaited: row.scan_awaited,
    unusableKey: unusableTargetsKey(row.unusable_targets),
    credentials: row.credentials.map(decode),
    discovered: {
      hosts: row.domain_credential ? (row.discovered_hosts ?? []) : [],
      credential: row.domain_credential ? decode(row.domain_credential) : null,
      netbiosName: row.domain_credential?.n ?? null,
    },
    compliance: {
      scan_interval_s: row.scan_interval_minutes * 60,
      thresholds: {
        patch_max_age_days: row.patch_max_age_days,
        screen_lock_max_seconds: row.screen_lock_max_seconds,
        defender_signature_max_age_days: row.defender_signature_max_age_days,
        rmm_allow_list: row.rmm_allow_list,
      },
    },
  };
}
