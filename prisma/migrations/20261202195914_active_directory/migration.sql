-- CreateEnum
CREATE TYPE "TargetApproval" AS ENUM ('approved', 'awaiting_approval');

-- CreateEnum
CREATE TYPE "EnumerationRunStatus" AS ENUM ('receiving', 'queued', 'merged', 'failed');

-- AlterTable
ALTER TABLE "appliances" ADD COLUMN     "discovery_error" TEXT,
ADD COLUMN     "discovery_failed_at" TIMESTAMP(3),
ADD COLUMN     "discovery_searched" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- AlterTable
ALTER TABLE "discovered_domains" ADD COLUMN     "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- AlterTable
ALTER TABLE "outbox" ADD COLUMN     "job_id" TEXT;

-- AlterTable
ALTER TABLE "site_credentials" ADD COLUMN     "ca_pem" TEXT,
ADD COLUMN     "first_run_id" TEXT;

-- AlterTable
ALTER TABLE "windows_targets" ADD COLUMN     "approval" "TargetApproval" NOT NULL DEFAULT 'awaiting_approval',
ADD COLUMN     "approved_at" TIMESTAMP(3),
ADD COLUMN     "approved_by" TEXT,
ADD COLUMN     "distinguished_name" TEXT,
ADD COLUMN     "domain" TEXT,
ADD COLUMN     "enabled" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "first_run_id" TEXT,
ADD COLUMN     "is_domain_controller" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "last_logon_at" TIMESTAMP(3),
ADD COLUMN     "missing_since" TIMESTAMP(3),
ADD COLUMN     "name" TEXT,
ADD COLUMN     "os_version" TEXT,
ADD COLUMN     "winrm_reachable" BOOLEAN,
ALTER COLUMN "source" SET DEFAULT 'discovered',
ALTER COLUMN "updated_at" SET DEFAULT CURRENT_TIMESTAMP;

-- AlterTable
ALTER TABLE "workstations" ADD COLUMN     "domain" TEXT,
ADD COLUMN     "last_seen_at" TIMESTAMP(3),
ADD COLUMN     "missing_since" TIMESTAMP(3),
ADD COLUMN     "name" TEXT,
ALTER COLUMN "agent_status" SET DEFAULT 'pending',
ALTER COLUMN "updated_at" SET DEFAULT CURRENT_TIMESTAMP;

-- CreateTable
CREATE TABLE "enumeration_runs" (
    "id" TEXT NOT NULL,
    "site_id" TEXT NOT NULL,
    "appliance_id" TEXT NOT NULL,
    "run_key" TEXT NOT NULL,
    "domain" TEXT NOT NULL,
    "status" "EnumerationRunStatus" NOT NULL DEFAULT 'receiving',
    "partial" BOOLEAN NOT NULL DEFAULT false,
    "enumerated_at" TIMESTAMP(3),
    "server_count" INTEGER NOT NULL DEFAULT 0,
    "workstation_count" INTEGER NOT NULL DEFAULT 0,
    "new_servers" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "job_id" TEXT NOT NULL,
    "received_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "merged_at" TIMESTAMP(3),
    "merge_ms" INTEGER,

    CONSTRAINT "enumeration_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "enumeration_chunks" (
    "run_id" TEXT NOT NULL,
    "chunk" INTEGER NOT NULL,
    "servers" JSONB NOT NULL,
    "workstations" JSONB NOT NULL,
    "received_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "enumeration_chunks_pkey" PRIMARY KEY ("run_id","chunk")
);

-- CreateIndex
CREATE INDEX "enumeration_runs_site_id_received_at_idx" ON "enumeration_runs"("site_id", "received_at");

-- CreateIndex
CREATE UNIQUE INDEX "enumeration_runs_appliance_id_run_key_key" ON "enumeration_runs"("appliance_id", "run_key");

-- CreateIndex
CREATE INDEX "windows_targets_site_id_approval_idx" ON "windows_targets"("site_id", "approval");

-- AddForeignKey
ALTER TABLE "enumeration_runs" ADD CONSTRAINT "enumeration_runs_site_id_fkey" FOREIGN KEY ("site_id") REFERENCES "sites"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "enumeration_runs" ADD CONSTRAINT "enumeration_runs_appliance_id_fkey" FOREIGN KEY ("appliance_id") REFERENCES "appliances"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "enumeration_chunks" ADD CONSTRAINT "enumeration_chunks_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "enumeration_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
