-- AlterTable
ALTER TABLE "appliances" ADD COLUMN     "unusable_since" TIMESTAMP(3),
ADD COLUMN     "unusable_targets" JSONB;
