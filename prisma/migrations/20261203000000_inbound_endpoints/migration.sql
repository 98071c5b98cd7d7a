-- Inbound endpoints: other systems call Hookline, and a tenant's workflow answers them.
-- Environments (each with a key pair for X-MOS-Key and its variables), brands, inbound endpoints
-- with their workflow versions, and the record of every execution. Every row names its tenant,
-- and rows that point at another row of the tenant do so by (tenant_id, id), so nothing can
-- point across tenants. Environments for tenants created before this migration are made by the
-- API at startup (their keys are sealed with ENCRYPTION_KEY, which SQL does not have).

-- CreateEnum
CREATE TYPE "environment_kind" AS ENUM ('preview', 'live');

-- CreateEnum
CREATE TYPE "inbound_method" AS ENUM ('GET', 'POST', 'PUT', 'DELETE', 'PATCH');

-- CreateEnum
CREATE TYPE "access_level" AS ENUM ('secret_key', 'public_key', 'none');

-- CreateEnum
CREATE TYPE "execution_outcome" AS ENUM ('ok', 'error', 'cpu_limit', 'timeout', 'memory_limit', 'unauthorized', 'too_large', 'disabled', 'busy');

-- CreateTable
CREATE TABLE "brands" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "brands_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "environments" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "environment_kind" NOT NULL,
    "secret_key" TEXT NOT NULL,
    "secret_key_hash" BYTEA NOT NULL,
    "public_key" TEXT NOT NULL,
    "public_key_hash" BYTEA NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "environments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "environment_brands" (
    "tenant_id" TEXT NOT NULL,
    "environment_id" TEXT NOT NULL,
    "brand_id" TEXT NOT NULL,

    CONSTRAINT "environment_brands_pkey" PRIMARY KEY ("environment_id","brand_id")
);

-- CreateTable
CREATE TABLE "environment_variables" (
    "tenant_id" TEXT NOT NULL,
    "environment_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "secret" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "environment_variables_pkey" PRIMARY KEY ("environment_id","name")
);

-- CreateTable
CREATE TABLE "inbound_endpoints" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "path" TEXT NOT NULL,
    "method" "inbound_method" NOT NULL,
    "access_level" "access_level" NOT NULL,
    "workflow_enabled" BOOLEAN NOT NULL DEFAULT true,
    "latest_version" INTEGER,
    "published_version" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "inbound_endpoints_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "inbound_endpoint_brands" (
    "tenant_id" TEXT NOT NULL,
    "endpoint_id" TEXT NOT NULL,
    "brand_id" TEXT NOT NULL,

    CONSTRAINT "inbound_endpoint_brands_pkey" PRIMARY KEY ("endpoint_id","brand_id")
);

-- CreateTable
CREATE TABLE "workflow_versions" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "endpoint_id" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "source" TEXT NOT NULL,
    "compiled" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "workflow_versions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "executions" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "endpoint_id" TEXT NOT NULL,
    "environment_id" TEXT NOT NULL,
    "workflow_version" INTEGER,
    "method" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "query" TEXT NOT NULL DEFAULT '',
    "request_headers" JSONB NOT NULL DEFAULT '{}',
    "body_size" INTEGER NOT NULL DEFAULT 0,
    "body_head" TEXT NOT NULL DEFAULT '',
    "status" INTEGER NOT NULL,
    "duration_ms" INTEGER NOT NULL,
    "outcome" "execution_outcome" NOT NULL,
    "logs" JSONB NOT NULL DEFAULT '[]',
    "logs_truncated" BOOLEAN NOT NULL DEFAULT false,
    "error" JSONB,
    "published_event_ids" TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "executions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "brands_tenant_id_id_key" ON "brands"("tenant_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "environments_tenant_id_id_key" ON "environments"("tenant_id", "id");

-- CreateIndex
CREATE INDEX "environment_brands_brand_id_idx" ON "environment_brands"("brand_id");

-- CreateIndex
CREATE UNIQUE INDEX "inbound_endpoints_tenant_id_id_key" ON "inbound_endpoints"("tenant_id", "id");

-- CreateIndex
CREATE INDEX "inbound_endpoint_brands_brand_id_idx" ON "inbound_endpoint_brands"("brand_id");

-- CreateIndex
CREATE UNIQUE INDEX "workflow_versions_endpoint_id_version_key" ON "workflow_versions"("endpoint_id", "version");

-- CreateIndex
CREATE INDEX "executions_endpoint_id_id_idx" ON "executions"("endpoint_id", "id");

-- CreateIndex
CREATE INDEX "executions_environment_id_idx" ON "executions"("environment_id");

-- AddForeignKey
ALTER TABLE "brands" ADD CONSTRAINT "brands_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "environments" ADD CONSTRAINT "environments_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "environment_brands" ADD CONSTRAINT "environment_brands_tenant_id_environment_id_fkey" FOREIGN KEY ("tenant_id", "environment_id") REFERENCES "environments"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "environment_brands" ADD CONSTRAINT "environment_brands_tenant_id_brand_id_fkey" FOREIGN KEY ("tenant_id", "brand_id") REFERENCES "brands"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "environment_variables" ADD CONSTRAINT "environment_variables_tenant_id_environment_id_fkey" FOREIGN KEY ("tenant_id", "environment_id") REFERENCES "environments"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "inbound_endpoints" ADD CONSTRAINT "inbound_endpoints_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "inbound_endpoint_brands" ADD CONSTRAINT "inbound_endpoint_brands_tenant_id_endpoint_id_fkey" FOREIGN KEY ("tenant_id", "endpoint_id") REFERENCES "inbound_endpoints"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "inbound_endpoint_brands" ADD CONSTRAINT "inbound_endpoint_brands_tenant_id_brand_id_fkey" FOREIGN KEY ("tenant_id", "brand_id") REFERENCES "brands"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "workflow_versions" ADD CONSTRAINT "workflow_versions_tenant_id_endpoint_id_fkey" FOREIGN KEY ("tenant_id", "endpoint_id") REFERENCES "inbound_endpoints"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "executions" ADD CONSTRAINT "executions_tenant_id_endpoint_id_fkey" FOREIGN KEY ("tenant_id", "endpoint_id") REFERENCES "inbound_endpoints"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "executions" ADD CONSTRAINT "executions_tenant_id_environment_id_fkey" FOREIGN KEY ("tenant_id", "environment_id") REFERENCES "environments"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;
