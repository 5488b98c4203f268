-- CreateTable
CREATE TABLE "credential_releases" (
    "id" BIGSERIAL NOT NULL,
    "site_id" TEXT NOT NULL,
    "appliance_id" TEXT NOT NULL,
    "credential_id" TEXT NOT NULL,
    "released_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "credential_releases_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "credential_releases_site_id_released_at_idx" ON "credential_releases"("site_id", "released_at");
