-- CreateEnum
CREATE TYPE "DcCertificateStatus" AS ENUM ('trusted', 'pending');

-- CreateTable
CREATE TABLE "domain_controller_certificates" (
    "id" TEXT NOT NULL,
    "site_id" TEXT NOT NULL,
    "domain" TEXT NOT NULL,
    "hostname" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "issuer" TEXT NOT NULL,
    "not_after" TIMESTAMP(3),
    "status" "DcCertificateStatus" NOT NULL DEFAULT 'pending',
    "first_seen" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "accepted_by_user_id" TEXT,
    "accepted_by" TEXT,
    "accepted_at" TIMESTAMP(3),

    CONSTRAINT "domain_controller_certificates_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "domain_controller_certificates_site_id_domain_hostname_last_idx" ON "domain_controller_certificates"("site_id", "domain", "hostname", "last_seen");

-- CreateIndex
CREATE UNIQUE INDEX "domain_controller_certificates_site_id_domain_hostname_fing_key" ON "domain_controller_certificates"("site_id", "domain", "hostname", "fingerprint");

-- AddForeignKey
ALTER TABLE "domain_controller_certificates" ADD CONSTRAINT "domain_controller_certificates_site_id_fkey" FOREIGN KEY ("site_id") REFERENCES "sites"("id") ON DELETE CASCADE ON UPDATE CASCADE;
