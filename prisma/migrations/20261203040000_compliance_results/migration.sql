-- CreateEnum
CREATE TYPE "ComplianceStatus" AS ENUM ('pass', 'fail', 'unknown', 'error');

-- CreateEnum
CREATE TYPE "ComplianceSource" AS ENUM ('appliance_scan', 'agent');

-- CreateTable
CREATE TABLE "compliance_batches" (
    "id" TEXT NOT NULL,
    "site_id" TEXT NOT NULL,
    "appliance_id" TEXT NOT NULL,
    "batch_id" TEXT NOT NULL,
    "content_hash" TEXT NOT NULL,
    "result_count" INTEGER NOT NULL,
    "scan_completed_at" TIMESTAMP(3),
    "summary" JSONB NOT NULL,
    "received_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "compliance_batches_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "compliance_results" (
    "id" BIGSERIAL NOT NULL,
    "site_id" TEXT NOT NULL,
    "hostname" TEXT NOT NULL,
    "check_name" TEXT NOT NULL,
    "source" "ComplianceSource" NOT NULL,
    "status" "ComplianceStatus" NOT NULL,
    "observed" TEXT NOT NULL,
    "expected" TEXT NOT NULL,
    "error" TEXT,
    "checked_at" TIMESTAMP(3) NOT NULL,
    "received_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "appliance_id" TEXT,
    "batch_ref" TEXT,
    "previous_status" "ComplianceStatus",
    "drift" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "compliance_results_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "compliance_latest" (
    "site_id" TEXT NOT NULL,
    "hostname" TEXT NOT NULL,
    "check_name" TEXT NOT NULL,
    "source" "ComplianceSource" NOT NULL,
    "status" "ComplianceStatus" NOT NULL,
    "observed" TEXT NOT NULL,
    "expected" TEXT NOT NULL,
    "error" TEXT,
    "checked_at" TIMESTAMP(3) NOT NULL,
    "changed_at" TIMESTAMP(3) NOT NULL,
    "received_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "appliance_id" TEXT,
    "alert_open" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "compliance_latest_pkey" PRIMARY KEY ("site_id","hostname","check_name")
);

-- CreateIndex
CREATE INDEX "compliance_batches_site_id_received_at_idx" ON "compliance_batches"("site_id", "received_at");

-- CreateIndex
CREATE UNIQUE INDEX "compliance_batches_appliance_id_batch_id_key" ON "compliance_batches"("appliance_id", "batch_id");

-- CreateIndex
CREATE INDEX "compliance_results_site_id_hostname_check_name_checked_at_idx" ON "compliance_results"("site_id", "hostname", "check_name", "checked_at");

-- CreateIndex
CREATE INDEX "compliance_results_site_id_drift_checked_at_id_idx" ON "compliance_results"("site_id", "drift", "checked_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "compliance_results_batch_ref_idx" ON "compliance_results"("batch_ref");

-- CreateIndex
CREATE INDEX "compliance_latest_site_id_status_idx" ON "compliance_latest"("site_id", "status");

-- AddForeignKey
ALTER TABLE "compliance_batches" ADD CONSTRAINT "compliance_batches_site_id_fkey" FOREIGN KEY ("site_id") REFERENCES "sites"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "compliance_batches" ADD CONSTRAINT "compliance_batches_appliance_id_fkey" FOREIGN KEY ("appliance_id") REFERENCES "appliances"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "compliance_results" ADD CONSTRAINT "compliance_results_site_id_fkey" FOREIGN KEY ("site_id") REFERENCES "sites"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "compliance_results" ADD CONSTRAINT "compliance_results_batch_ref_fkey" FOREIGN KEY ("batch_ref") REFERENCES "compliance_batches"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "compliance_latest" ADD CONSTRAINT "compliance_latest_site_id_fkey" FOREIGN KEY ("site_id") REFERENCES "sites"("id") ON DELETE CASCADE ON UPDATE CASCADE;
