/**
 * Everything a check-in needs, in one read-only round trip (no commit): the appliance behind the key,
 * whether it has flags pending or a scan awaiting its result, and its site's encrypted credentials that
 * name a host. The key is found by its keyed hash (unique index) and compared in constant time.
 */
import { pgPool } from "@/server/db-pg";
import { unauthorized } from "@/server/errors";
import { APPLIANCE_KEY_PURPOSE } from "../appliances/authenticate-appliance";
import { hashSecret, safeEqual } from "../security/secrets";

export type CheckinContext = {
  applianceId: string;
  siteId: string;
  partnerId: string;
  publicKey: string | null;
  flagsPending: boolean;
  scanAwaited: boolean;
  credentials: Array<{ id: string; encryptedData: Uint8Array; wrappedDataKey: Uint8Array; masterKeyId: string }>;
};

const QUERY = {
  name: "checkin-context-v1",
  text: `
    SELECT a.id, a.site_id, a.api_key_hash, a.public_key, s.partner_id,
      EXISTS (SELECT 1 FROM appliance_triggers t WHERE t.appliance_id = a.id AND t.state = 'pending') AS flags_pending,
      EXISTS (SELECT 1 FROM appliance_triggers t WHERE t.appliance_id = a.id AND t.state = 'delivered'
              AND t.kind = 'immediate_scan') AS scan_awaited,
      COALESCE((SELECT json_agg(json_build_object('id', c.id, 'd', encode(c.encrypted_data, 'base64'),
                                                  'k', encode(c.wrapped_data_key, 'base64'), 'm', c.master_key_id)
                                ORDER BY c.created_at)
                FROM site_credentials c WHERE c.site_id = a.site_id AND c.host IS NOT NULL), '[]') AS credentials
    FROM appliances a JOIN sites s ON s.id = a.site_id
    WHERE a.api_key_hash = $1`,
};

type Row = {
  id: string;
  site_id: string;
  api_key_hash: string;
  public_key: string | null;
  partner_id: string;
  flags_pending: boolean;
  scan_awaited: boolean;
  credentials: Array<{ id: string; d: string; k: string; m: string }>;
};

export async function loadCheckinContext(authorization: string | null): Promise<CheckinContext> {
  const key = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (!key) throw unauthorized("Missing appliance key. Send it as 'Authorization: Bearer <api_key>'.");
  const hash = hashSecret(key, APPLIANCE_KEY_PURPOSE);
  const { rows } = await pgPool().query<Row>({ ...QUERY, values: [hash] });
  const row = rows[0];
  if (!row || !safeEqual(row.api_key_hash, hash)) {
    throw unauthorized("Unknown appliance key. Re-provision the appliance with a new provision code.");
  }
  return {
    applianceId: row.id,
    siteId: row.site_id,
    partnerId: row.partner_id,
    publicKey: row.public_key,
    flagsPending: row.flags_pending,
    scanAwaited: row.scan_awaited,
    credentials: row.credentials.map((c) => ({
      id: c.id,
      encryptedData: Buffer.from(c.d, "base64"),
      wrappedDataKey: Buffer.from(c.k, "base64"),
      masterKeyId: c.m,
    })),
  };
}
