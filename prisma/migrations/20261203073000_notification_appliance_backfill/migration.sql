-- Alerts written before notifications had appliance_id (20261203045000_notification_appliance) name their
-- appliance by its internal id ("<site_id>-<MAC>") in the text. Give each one its appliance_id and the text an
-- alert gets today: the id replaced by the appliance's current hostname. Safe by construction:
--   * only an appliance of the alert's own site, of its own partner, is considered (never another tenant's, and
--     a handful of candidates per alert, so it stays quick on a large notifications table);
--   * only when exactly one appliance's id is in the text (an ambiguous alert is left as it is);
--   * only alerts not linked yet, so running it again changes nothing;
--   * an alert about an appliance since removed keeps its text (there is no hostname to give it).
-- Data only: no schema change, nothing for Prisma to diff.
WITH matched AS (
  SELECT n.id AS notification_id, min(a.id) AS appliance_id, min(a.hostname) AS hostname, count(*) AS matches
  FROM notifications n
  JOIN sites s ON s.id = n.site_id AND s.partner_id = n.partner_id
  JOIN appliances a ON a.site_id = s.id
  WHERE n.appliance_id IS NULL
    AND (strpos(n.body, a.id) > 0 OR strpos(n.title, a.id) > 0)
  GROUP BY n.id
)
UPDATE notifications n
SET appliance_id = m.appliance_id,
    title = replace(n.title, m.appliance_id, m.hostname),
    body = replace(n.body, m.appliance_id, m.hostname)
FROM matched m
WHERE n.id = m.notification_id AND m.matches = 1;
