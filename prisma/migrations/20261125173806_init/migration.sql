-- CreateEnum
CREATE TYPE "UserRole" AS ENUM ('partner_admin', 'partner_technician', 'platform_admin');

-- CreateEnum
CREATE TYPE "ApplianceStatus" AS ENUM ('provisioning', 'online', 'offline', 'error');

-- CreateEnum
CREATE TYPE "CredentialType" AS ENUM ('winrm', 'domain_admin', 'service_account', 'local_admin');

-- CreateEnum
CREATE TYPE "TargetSource" AS ENUM ('manual', 'discovered');

-- CreateEnum
CREATE TYPE "AgentStatus" AS ENUM ('not_deployed', 'pending', 'active', 'stale', 'error');

-- CreateEnum
CREATE TYPE "TriggerKind" AS ENUM ('enumeration', 'immediate_scan');

-- CreateEnum
CREATE TYPE "TriggerState" AS ENUM ('pending', 'delivered', 'completed', 'failed');

-- CreateEnum
CREATE TYPE "ActorType" AS ENUM ('user', 'partner_token', 'appliance', 'system', 'anonymous');

-- CreateTable
CREATE TABLE "partners" (
    "id" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "brand_name" TEXT NOT NULL,
    "primary_color" TEXT NOT NULL,
    "logo_url" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "partners_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "users" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "email_verified" BOOLEAN NOT NULL DEFAULT false,
    "image" TEXT,
    "role" "UserRole" NOT NULL DEFAULT 'partner_technician',
    "partner_id" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sessions" (
    "id" TEXT NOT NULL,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "token" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,
    "ip_address" TEXT,
    "user_agent" TEXT,
    "user_id" TEXT NOT NULL,

    CONSTRAINT "sessions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "accounts" (
    "id" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "provider_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "access_token" TEXT,
    "refresh_token" TEXT,
    "id_token" TEXT,
    "access_token_expires_at" TIMESTAMP(3),
    "refresh_token_expires_at" TIMESTAMP(3),
    "scope" TEXT,
    "password" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "accounts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "verifications" (
    "id" TEXT NOT NULL,
    "identifier" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "verifications_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "partner_api_tokens" (
    "id" TEXT NOT NULL,
    "partner_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "last_used_at" TIMESTAMP(3),
    "expires_at" TIMESTAMP(3),
    "revoked_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "partner_api_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sites" (
    "id" TEXT NOT NULL,
    "partner_id" TEXT NOT NULL,
    "client_name" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "sites_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "appliances" (
    "id" TEXT NOT NULL,
    "site_id" TEXT NOT NULL,
    "mac_address" TEXT NOT NULL,
    "hostname" TEXT NOT NULL,
    "api_key_hash" TEXT NOT NULL,
    "public_key" TEXT,
    "status" "ApplianceStatus" NOT NULL DEFAULT 'provisioning',
    "provision_status" TEXT,
    "provision_progress" INTEGER,
    "provision_message" TEXT,
    "last_checkin_at" TIMESTAMP(3),
    "agent_version" TEXT,
    "uptime_s" INTEGER,
    "last_scan_completed_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "appliances_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "provision_codes" (
    "id" TEXT NOT NULL,
    "partner_id" TEXT NOT NULL,
    "site_id" TEXT,
    "client_name" TEXT NOT NULL,
    "code_hash" TEXT NOT NULL,
    "code_prefix" TEXT NOT NULL,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "claimed_at" TIMESTAMP(3),
    "appliance_id" TEXT,
    "revoked_at" TIMESTAMP(3),
    "created_by_id" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "provision_codes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "site_credentials" (
    "id" TEXT NOT NULL,
    "site_id" TEXT NOT NULL,
    "credential_type" "CredentialType" NOT NULL,
    "credential_name" TEXT NOT NULL,
    "host" TEXT,
    "username" TEXT NOT NULL,
    "domain" TEXT,
    "use_ssl" BOOLEAN NOT NULL DEFAULT false,
    "encrypted_data" BYTEA NOT NULL,
    "wrapped_data_key" BYTEA NOT NULL,
    "master_key_id" TEXT NOT NULL,
    "discovered_domain_id" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "site_credentials_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "discovered_domains" (
    "id" TEXT NOT NULL,
    "site_id" TEXT NOT NULL,
    "appliance_id" TEXT NOT NULL,
    "domain_name" TEXT NOT NULL,
    "netbios_name" TEXT,
    "controllers" JSONB NOT NULL DEFAULT '[]',
    "discovered_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "discovered_domains_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "windows_targets" (
    "id" TEXT NOT NULL,
    "site_id" TEXT NOT NULL,
    "hostname" TEXT NOT NULL,
    "source" "TargetSource" NOT NULL,
    "credential_id" TEXT,
    "use_ssl" BOOLEAN NOT NULL DEFAULT false,
    "port" INTEGER NOT NULL DEFAULT 5985,
    "transport" TEXT NOT NULL DEFAULT 'ntlm',
    "operating_system" TEXT,
    "last_seen_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "windows_targets_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "workstations" (
    "id" TEXT NOT NULL,
    "site_id" TEXT NOT NULL,
    "hostname" TEXT NOT NULL,
    "dns_host_name" TEXT,
    "operating_system" TEXT,
    "os_version" TEXT,
    "distinguished_name" TEXT,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "last_logon_at" TIMESTAMP(3),
    "agent_status" "AgentStatus" NOT NULL DEFAULT 'not_deployed',
    "agent_version" TEXT,
    "agent_last_seen_at" TIMESTAMP(3),
    "discovered_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "workstations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "appliance_triggers" (
    "id" TEXT NOT NULL,
    "appliance_id" TEXT NOT NULL,
    "kind" "TriggerKind" NOT NULL,
    "state" "TriggerState" NOT NULL DEFAULT 'pending',
    "reason" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "requested_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "delivered_at" TIMESTAMP(3),
    "completed_at" TIMESTAMP(3),

    CONSTRAINT "appliance_triggers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notifications" (
    "id" TEXT NOT NULL,
    "partner_id" TEXT NOT NULL,
    "site_id" TEXT,
    "kind" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "read_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notifications_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_events" (
    "id" BIGSERIAL NOT NULL,
    "partner_id" TEXT,
    "site_id" TEXT,
    "actor_type" "ActorType" NOT NULL,
    "actor_id" TEXT,
    "action" TEXT NOT NULL,
    "target_type" TEXT,
    "target_id" TEXT,
    "ip" TEXT,
    "metadata" JSONB,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "evidence_bundles" (
    "id" TEXT NOT NULL,
    "site_id" TEXT NOT NULL,
    "appliance_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "size_bytes" INTEGER NOT NULL,
    "content" JSONB NOT NULL,
    "collected_at" TIMESTAMP(3) NOT NULL,
    "received_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "evidence_bundles_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "agent_drift_events" (
    "id" TEXT NOT NULL,
    "site_id" TEXT NOT NULL,
    "appliance_id" TEXT NOT NULL,
    "workstation_id" TEXT,
    "hostname" TEXT NOT NULL,
    "check_type" TEXT NOT NULL,
    "passed" BOOLEAN NOT NULL,
    "details" JSONB NOT NULL DEFAULT '{}',
    "observed_at" TIMESTAMP(3) NOT NULL,
    "received_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "agent_drift_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "partners_slug_key" ON "partners"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE INDEX "users_partner_id_idx" ON "users"("partner_id");

-- CreateIndex
CREATE UNIQUE INDEX "sessions_token_key" ON "sessions"("token");

-- CreateIndex
CREATE INDEX "sessions_user_id_idx" ON "sessions"("user_id");

-- CreateIndex
CREATE INDEX "accounts_user_id_idx" ON "accounts"("user_id");

-- CreateIndex
CREATE INDEX "verifications_identifier_idx" ON "verifications"("identifier");

-- CreateIndex
CREATE UNIQUE INDEX "partner_api_tokens_token_hash_key" ON "partner_api_tokens"("token_hash");

-- CreateIndex
CREATE INDEX "partner_api_tokens_partner_id_idx" ON "partner_api_tokens"("partner_id");

-- CreateIndex
CREATE INDEX "sites_partner_id_idx" ON "sites"("partner_id");

-- CreateIndex
CREATE UNIQUE INDEX "appliances_api_key_hash_key" ON "appliances"("api_key_hash");

-- CreateIndex
CREATE INDEX "appliances_status_last_checkin_at_idx" ON "appliances"("status", "last_checkin_at");

-- CreateIndex
CREATE UNIQUE INDEX "appliances_site_id_mac_address_key" ON "appliances"("site_id", "mac_address");

-- CreateIndex
CREATE UNIQUE INDEX "provision_codes_code_hash_key" ON "provision_codes"("code_hash");

-- CreateIndex
CREATE INDEX "provision_codes_partner_id_created_at_idx" ON "provision_codes"("partner_id", "created_at");

-- CreateIndex
CREATE INDEX "site_credentials_site_id_idx" ON "site_credentials"("site_id");

-- CreateIndex
CREATE UNIQUE INDEX "discovered_domains_site_id_domain_name_key" ON "discovered_domains"("site_id", "domain_name");

-- CreateIndex
CREATE UNIQUE INDEX "windows_targets_site_id_hostname_key" ON "windows_targets"("site_id", "hostname");

-- CreateIndex
CREATE UNIQUE INDEX "workstations_site_id_hostname_key" ON "workstations"("site_id", "hostname");

-- CreateIndex
CREATE INDEX "appliance_triggers_appliance_id_state_idx" ON "appliance_triggers"("appliance_id", "state");

-- CreateIndex
CREATE INDEX "appliance_triggers_state_delivered_at_idx" ON "appliance_triggers"("state", "delivered_at");

-- CreateIndex
CREATE INDEX "notifications_partner_id_created_at_idx" ON "notifications"("partner_id", "created_at");

-- CreateIndex
CREATE INDEX "audit_events_partner_id_created_at_idx" ON "audit_events"("partner_id", "created_at");

-- CreateIndex
CREATE INDEX "audit_events_site_id_action_created_at_idx" ON "audit_events"("site_id", "action", "created_at");

-- CreateIndex
CREATE INDEX "evidence_bundles_site_id_collected_at_idx" ON "evidence_bundles"("site_id", "collected_at");

-- CreateIndex
CREATE UNIQUE INDEX "evidence_bundles_appliance_id_sha256_key" ON "evidence_bundles"("appliance_id", "sha256");

-- CreateIndex
CREATE INDEX "agent_drift_events_site_id_observed_at_idx" ON "agent_drift_events"("site_id", "observed_at");

-- AddForeignKey
ALTER TABLE "users" ADD CONSTRAINT "users_partner_id_fkey" FOREIGN KEY ("partner_id") REFERENCES "partners"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "partner_api_tokens" ADD CONSTRAINT "partner_api_tokens_partner_id_fkey" FOREIGN KEY ("partner_id") REFERENCES "partners"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sites" ADD CONSTRAINT "sites_partner_id_fkey" FOREIGN KEY ("partner_id") REFERENCES "partners"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "appliances" ADD CONSTRAINT "appliances_site_id_fkey" FOREIGN KEY ("site_id") REFERENCES "sites"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "provision_codes" ADD CONSTRAINT "provision_codes_partner_id_fkey" FOREIGN KEY ("partner_id") REFERENCES "partners"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "provision_codes" ADD CONSTRAINT "provision_codes_site_id_fkey" FOREIGN KEY ("site_id") REFERENCES "sites"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "site_credentials" ADD CONSTRAINT "site_credentials_site_id_fkey" FOREIGN KEY ("site_id") REFERENCES "sites"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "site_credentials" ADD CONSTRAINT "site_credentials_discovered_domain_id_fkey" FOREIGN KEY ("discovered_domain_id") REFERENCES "discovered_domains"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "discovered_domains" ADD CONSTRAINT "discovered_domains_site_id_fkey" FOREIGN KEY ("site_id") REFERENCES "sites"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "windows_targets" ADD CONSTRAINT "windows_targets_site_id_fkey" FOREIGN KEY ("site_id") REFERENCES "sites"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "windows_targets" ADD CONSTRAINT "windows_targets_credential_id_fkey" FOREIGN KEY ("credential_id") REFERENCES "site_credentials"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "workstations" ADD CONSTRAINT "workstations_site_id_fkey" FOREIGN KEY ("site_id") REFERENCES "sites"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "appliance_triggers" ADD CONSTRAINT "appliance_triggers_appliance_id_fkey" FOREIGN KEY ("appliance_id") REFERENCES "appliances"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_partner_id_fkey" FOREIGN KEY ("partner_id") REFERENCES "partners"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_partner_id_fkey" FOREIGN KEY ("partner_id") REFERENCES "partners"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "evidence_bundles" ADD CONSTRAINT "evidence_bundles_site_id_fkey" FOREIGN KEY ("site_id") REFERENCES "sites"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "evidence_bundles" ADD CONSTRAINT "evidence_bundles_appliance_id_fkey" FOREIGN KEY ("appliance_id") REFERENCES "appliances"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "agent_drift_events" ADD CONSTRAINT "agent_drift_events_site_id_fkey" FOREIGN KEY ("site_id") REFERENCES "sites"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "agent_drift_events" ADD CONSTRAINT "agent_drift_events_appliance_id_fkey" FOREIGN KEY ("appliance_id") REFERENCES "appliances"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "agent_drift_events" ADD CONSTRAINT "agent_drift_events_workstation_id_fkey" FOREIGN KEY ("workstation_id") REFERENCES "workstations"("id") ON DELETE SET NULL ON UPDATE CASCADE;
