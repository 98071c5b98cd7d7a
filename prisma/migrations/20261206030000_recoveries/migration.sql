-- A recovery (POST /v1/endpoints/{id}/recover) answers at once and goes on in the background: this
-- row is its progress, read by GET /v1/endpoints/{id}/recoveries/{recovery_id}, and what the workers
-- resume when the process running it stopped (its updated_at stops moving).

-- CreateEnum
CREATE TYPE "recovery_status" AS ENUM ('running', 'completed');

-- CreateTable
CREATE TABLE "recoveries" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "endpoint_id" TEXT NOT NULL,
    "since" TIMESTAMPTZ(3) NOT NULL,
    "status" "recovery_status" NOT NULL DEFAULT 'running',
    "recovered" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" TIMESTAMPTZ(3),

    CONSTRAINT "recoveries_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "recoveries_tenant_id_endpoint_id_idx" ON "recoveries"("tenant_id", "endpoint_id");

-- CreateIndex
CREATE INDEX "recoveries_status_updated_at_idx" ON "recoveries"("status", "updated_at");

-- AddForeignKey
ALTER TABLE "recoveries" ADD CONSTRAINT "recoveries_tenant_id_endpoint_id_fkey" FOREIGN KEY ("tenant_id", "endpoint_id") REFERENCES "endpoints"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;
