-- AlterTable
ALTER TABLE "enumeration_runs" ADD COLUMN     "last_chunk" INTEGER;
