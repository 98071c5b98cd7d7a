-- CreateEnum
CREATE TYPE "endpoint_flavour" AS ENUM ('standard', 'monite');

-- AlterTable
ALTER TABLE "endpoints" ADD COLUMN     "flavour" "endpoint_flavour" NOT NULL DEFAULT 'standard';
