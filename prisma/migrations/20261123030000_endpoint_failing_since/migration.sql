-- AlterTable
ALTER TABLE "endpoints" ADD COLUMN     "failing_since" TIMESTAMPTZ(3);
