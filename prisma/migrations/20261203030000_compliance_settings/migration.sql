-- Compliance thresholds per partner and the scan schedule per site, delivered to appliances at check-in.
ALTER TABLE "partners"
  ADD COLUMN "patch_max_age_days" INTEGER NOT NULL DEFAULT 30,
  ADD COLUMN "screen_lock_max_seconds" INTEGER NOT NULL DEFAULT 600,
  ADD COLUMN "defender_signature_max_age_days" INTEGER NOT NULL DEFAULT 7,
  ADD COLUMN "rmm_allow_list" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[];

ALTER TABLE "sites" ADD COLUMN "scan_interval_minutes" INTEGER NOT NULL DEFAULT 60;
