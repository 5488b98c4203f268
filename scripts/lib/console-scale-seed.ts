/**
 * Seeds the console at scale for bench/console-scale.ts and the e2e server (e2e/ui/scale.spec.ts): one partner with 500 sites, 10,000 appliances and
 * 50,000 alerts, and a second partner with its own (smaller) share, hostnames overlapping on purpose so a
 * search that forgot the partner would show. Set-based SQL (generate_series), one statement per table, so
 * the whole seed takes seconds. Idempotent: a partner whose counts already match is left as it is.
 */
import type { Db } from "@/server/db";
import { createPartner } from "@/server/domain/partners/create-partner";

/**
 * `online: false` seeds no online appliance (those are offline, last seen hours to days ago): for a server whose
 * worker runs, which would otherwise turn 7,000 quiet "online" appliances offline, and alert on each, mid-test.
 */
export type ScaleShape = { sites: number; appliances: number; alerts: number; online?: boolean };
export type SeededPartner = { id: string; slug: string; email: string; password: string; seeded: boolean };

/** Clinic words: client names like "Riverside Family Practice 042", hostnames like "pc-riverside-00042". */
const PLACES = [
  "riverside",
  "lakeview",
  "maple",
  "hillcrest",
  "cedar",
  "oakwood",
  "summit",
  "valley",
  "harbor",
  "pine",
  "meadow",
  "granite",
  "willow",
  "brook",
  "sunset",
  "northgate",
  "elm",
  "bayview",
  "fairview",
  "stone",
];
const KINDS = ["Family Practice", "Dental", "Pediatrics", "Urgent Care", "Dermatology", "Eye Care", "Orthopedics"];

export async function seedScalePartner(
  db: Db,
  who: { slug: string; name: string; email: string; password: string },
  shape: ScaleShape,
): Promise<SeededPartner> {
  let partner = await db.partner.findUnique({ where: { slug: who.slug }, select: { id: true } });
  if (!partner) {
    const made = await createPartner(db, {
      name: who.name,
      slug: who.slug,
      color: "#2563EB",
      email: who.email,
      password: who.password,
    });
    partner = { id: made.partner.id };
  }
  const partnerId = partner.id;
  const [sites, appliances, alerts] = await Promise.all([
    db.site.count({ where: { partnerId } }),
    db.appliance.count({ where: { site: { partnerId } } }),
    db.notification.count({ where: { partnerId } }),
  ]);
  const base = { id: partnerId, slug: who.slug, email: who.email, password: who.password };
  if (sites === shape.sites && appliances === shape.appliances && alerts === shape.alerts)
    return { ...base, seeded: false };

  await db.notification.deleteMany({ where: { partnerId } });
  await db.site.deleteMany({ where: { partnerId } }); // appliances go with their sites
  const places = `ARRAY[${PLACES.map((p) => `'${p}'`).join(",")}]`;
  const kinds = `ARRAY[${KINDS.map((k) => `'${k}'`).join(",")}]`;
  const slug = who.slug;
  const online = shape.online === false ? "offline" : "online";
  // Site i: place (i mod 20), kind (i mod 7), numbered; created over the last two years.
  await db.$executeRawUnsafe(`
    INSERT INTO sites (id, partner_id, client_name, created_at, updated_at)
    SELECT '${slug}-site-' || lpad(i::text, 4, '0'), '${partnerId}',
           initcap((${places})[1 + i % 20]) || ' ' || (${kinds})[1 + i % 7] || ' ' || lpad(i::text, 3, '0'),
           now() - make_interval(days => 730 - i), now()
    FROM generate_series(1, ${shape.sites}) i`);
  // Appliance j at site (j mod sites): hostname pc-<place>-<j>; 70% online (checked in within the minute),
  // 13% offline (hours to days ago), 5% error, 7% provisioning (never checked in), 5% revoked (offline, revoked).
  await db.$executeRawUnsafe(`
    INSERT INTO appliances (id, site_id, mac_address, hostname, api_key_hash, status, last_checkin_at,
                            agent_version, uptime_s, revoked_at, revoked_by, created_at, updated_at)
    SELECT site_id || '-' || mac, site_id, mac, hostname, md5('${slug}' || j::text),
           (CASE WHEN r < 70 THEN '${online}' WHEN r < 83 THEN 'offline' WHEN r < 88 THEN 'error'
                 WHEN r < 95 THEN 'provisioning' ELSE 'offline' END)::"ApplianceStatus",
           CASE WHEN r < 70 AND '${online}' = 'online' THEN now() - make_interval(secs => j % 60)
                WHEN r < 88 THEN now() - make_interval(mins => 5 + (j * 37) % (60 * 24 * 14))
                WHEN r < 95 THEN NULL
                ELSE now() - make_interval(days => 1 + j % 30) END,
           CASE WHEN r BETWEEN 88 AND 94 THEN NULL
                ELSE (ARRAY['1.4.2','1.4.3','1.5.0','1.5.1','1.6.0'])[1 + j % 5] END,
           CASE WHEN r < 70 THEN 3600 + j * 13 % 2000000 END,
           CASE WHEN r >= 95 THEN now() - make_interval(days => j % 30) END,
           CASE WHEN r >= 95 THEN 'admin@${slug}.example' END,
           now() - make_interval(days => 1 + j % 700), now()
    FROM (
      SELECT j, (j * 7919) % 100 AS r,
             '${slug}-site-' || lpad((1 + j % ${shape.sites})::text, 4, '0') AS site_id,
             '02:00:' || lpad(upper(to_hex(j / 256)), 2, '0') || ':' || lpad(upper(to_hex(j % 256)), 2, '0') || ':00:01' AS mac,
             'pc-' || (${places})[1 + (1 + j % ${shape.sites}) % 20] || '-' || lpad(j::text, 5, '0') AS hostname
      FROM generate_series(1, ${shape.appliances}) j
    ) x`);
  // Alerts k about appliance (k mod appliances) at its site, over the last 90 days; the newest fifth
  // mostly unread, the rest read. Kinds as the product raises them, with its titles and bodies.
  await db.$executeRawUnsafe(`
    INSERT INTO notifications (id, partner_id, site_id, appliance_id, kind, title, body, read_at, created_at)
    SELECT '${slug}-n-' || k, '${partnerId}', a.site_id, a.id, kind,
           CASE kind
             WHEN 'appliance.offline' THEN 'Appliance offline at ' || s.client_name
             WHEN 'appliance.online' THEN 'Appliance back online at ' || s.client_name
             WHEN 'trigger.failed' THEN 'Appliance did not complete the requested compliance scan'
             WHEN 'enumeration_failed' THEN 'Enumeration of ' || (${places})[1 + k % 20] || '.local failed'
             WHEN 'compliance.failing' THEN 'Compliance failing at ' || s.client_name
             ELSE 'New servers found at ' || s.client_name END,
           CASE kind
             WHEN 'appliance.offline' THEN a.hostname || ' has not checked in for 3 minutes. Check its power and network.'
             WHEN 'appliance.online' THEN a.hostname || ' checked in again.'
             WHEN 'trigger.failed' THEN a.hostname || ' at ' || s.client_name || ' received the request 3 times without reporting back.'
             WHEN 'enumeration_failed' THEN 'LDAP bind refused: check the domain credential.'
             WHEN 'compliance.failing' THEN (2 + k % 9) || ' controls failing on ' || a.hostname || '.'
             ELSE (1 + k % 4) || ' servers awaiting approval.' END,
           CASE WHEN k <= ${shape.alerts} * 4 / 5 OR k % 5 = 0 THEN now() - make_interval(mins => (${shape.alerts} - k) / 2) END,
           now() - make_interval(secs => (${shape.alerts} - k) * 155)
    FROM (
      SELECT k, (ARRAY['appliance.offline','appliance.online','appliance.offline','trigger.failed','enumeration_failed',
                       'compliance.failing','new_servers_found','appliance.online'])[1 + k % 8] AS kind,
             1 + (k * 31) % ${shape.appliances} AS j
      FROM generate_series(1, ${shape.alerts}) k
    ) x
    JOIN appliances a ON a.site_id = '${slug}-site-' || lpad((1 + x.j % ${shape.sites})::text, 4, '0')
      AND a.hostname = 'pc-' || (${places})[1 + (1 + x.j % ${shape.sites}) % 20] || '-' || lpad(x.j::text, 5, '0')
    JOIN sites s ON s.id = a.site_id`);
  for (const table of ["sites", "appliances", "notifications"]) await db.$executeRawUnsafe(`ANALYZE ${table}`);
  return { ...base, seeded: true };
}
