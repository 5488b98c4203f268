-- CreateEnum
CREATE TYPE "TokenScope" AS ENUM ('read', 'full');

-- AlterTable
ALTER TABLE "appliances" ADD COLUMN     "revoked_at" TIMESTAMP(3),
ADD COLUMN     "revoked_by" TEXT;

-- AlterTable: tokens that exist today become full tokens (they had every right before scopes existed);
-- afterwards the default is the least privilege, so an insert that forgets the scope grants read only.
ALTER TABLE "partner_api_tokens" ADD COLUMN     "scope" "TokenScope" NOT NULL DEFAULT 'full';
ALTER TABLE "partner_api_tokens" ALTER COLUMN "scope" SET DEFAULT 'read';
