-- AlterEnum
ALTER TYPE "endpoint_flavour" ADD VALUE 'momentus';

-- AlterEnum
ALTER TYPE "endpoint_status" ADD VALUE 'INACTIVE';

-- AlterTable
ALTER TABLE "endpoints" ADD COLUMN     "asynchronous" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "ignore_for_api" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "oauth_client_id" TEXT,
ADD COLUMN     "oauth_client_secret" TEXT,
ADD COLUMN     "oauth_scope" TEXT,
ADD COLUMN     "oauth_token_url" TEXT,
ADD COLUMN     "unique_name" TEXT;

-- AlterTable
ALTER TABLE "events" ADD COLUMN     "origin" TEXT NOT NULL DEFAULT 'api';

-- CreateIndex
CREATE UNIQUE INDEX "endpoints_tenant_id_unique_name_key" ON "endpoints"("tenant_id", "unique_name");
