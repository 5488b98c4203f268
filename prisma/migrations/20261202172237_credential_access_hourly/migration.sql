-- The credential access log becomes one row per appliance, credential and UTC hour (count, first and
-- last release), written before each check-in answers. Existing per-release rows are folded into it,
-- then the old table goes, so there is one source of truth.

-- CreateTable
CREATE TABLE "credential_access" (
    "appliance_id" TEXT NOT NULL,
    "credential_id" TEXT NOT NULL,
    "hour" TIMESTAMP(3) NOT NULL,
    "site_id" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "first_released_at" TIMESTAMP(3) NOT NULL,
    "last_released_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "credential_access_pkey" PRIMARY KEY ("appliance_id","credential_id","hour")
);

-- Rows of the current hour are updated in place at every check-in: leave room on each page so those
-- updates stay HOT (no index writes, as no indexed column changes).
ALTER TABLE "credential_access" SET (fillfactor = 70);

-- CreateIndex
CREATE INDEX "credential_access_site_id_hour_appliance_id_credential_id_idx" ON "credential_access"("site_id", "hour" DESC, "appliance_id", "credential_id");

-- CreateIndex
CREATE INDEX "credential_access_hour_idx" ON "credential_access"("hour");

-- Fold the per-release rows into hourly rows.
INSERT INTO "credential_access" ("appliance_id", "credential_id", "hour", "site_id", "count", "first_released_at", "last_released_at")
SELECT "appliance_id", "credential_id", date_trunc('hour', "released_at"), min("site_id"), count(*)::int, min("released_at"), max("released_at")
FROM "credential_releases"
GROUP BY 1, 2, 3;

-- DropTable
DROP TABLE "credential_releases";
