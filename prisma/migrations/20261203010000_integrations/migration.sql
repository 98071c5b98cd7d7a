-- Integrations: a tenant's integrations for its own customers (seed 004). An integration has a
-- draft and published versions (its flows and endpoint configuration, frozen); an instance is a
-- version deployed to a customer, with the customer's config. Calls come in at
-- /api/v1/trigger/<token>: each token names a shared endpoint (an integration), an instance, or
-- one flow of an instance. A call that passes routing and security is stored as a flow execution
-- and answered at once; a worker runs the flow (at least once). Rows point at their tenant's rows
-- only, by (tenant_id, id).

-- CreateEnum
CREATE TYPE "trigger_kind" AS ENUM ('shared', 'instance', 'instance_flow');

-- CreateEnum
CREATE TYPE "flow_execution_status" AS ENUM ('queued', 'running', 'succeeded', 'failed', 'refused');

-- CreateTable
CREATE TABLE "customers" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "external_id" TEXT,
    "is_test" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "customers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "integrations" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "draft" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "integrations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "integration_versions" (
    "tenant_id" TEXT NOT NULL,
    "integration_id" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "definition" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "integration_versions_pkey" PRIMARY KEY ("integration_id","version")
);

-- CreateTable
CREATE TABLE "instances" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "integration_id" TEXT NOT NULL,
    "customer_id" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "config" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "instances_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "instance_api_keys" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "instance_id" TEXT NOT NULL,
    "flow_name" TEXT NOT NULL,
    "key_hash" BYTEA NOT NULL,
    "key_sealed" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "instance_api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "triggers" (
    "token" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "kind" "trigger_kind" NOT NULL,
    "integration_id" TEXT NOT NULL,
    "instance_id" TEXT,
    "flow_name" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "triggers_pkey" PRIMARY KEY ("token")
);

-- CreateTable
CREATE TABLE "flow_executions" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "integration_id" TEXT NOT NULL,
    "instance_id" TEXT,
    "customer_id" TEXT,
    "version" INTEGER,
    "flow_name" TEXT,
    "trigger_kind" "trigger_kind",
    "is_test" BOOLEAN NOT NULL DEFAULT false,
    "status" "flow_execution_status" NOT NULL,
    "attempt" INTEGER NOT NULL DEFAULT 0,
    "method" TEXT NOT NULL,
    "request_headers" JSONB NOT NULL DEFAULT '{}',
    "body" TEXT NOT NULL DEFAULT '',
    "body_size" INTEGER NOT NULL DEFAULT 0,
    "answer_status" INTEGER NOT NULL,
    "preprocess" JSONB,
    "result" JSONB,
    "logs" JSONB NOT NULL DEFAULT '[]',
    "error" JSONB,
    "published_event_ids" TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "flow_executions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "customers_tenant_id_id_key" ON "customers"("tenant_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "customers_tenant_id_external_id_key" ON "customers"("tenant_id", "external_id");

-- CreateIndex
CREATE UNIQUE INDEX "integrations_tenant_id_id_key" ON "integrations"("tenant_id", "id");

-- CreateIndex
CREATE INDEX "integration_versions_tenant_id_integration_id_idx" ON "integration_versions"("tenant_id", "integration_id");

-- CreateIndex
CREATE UNIQUE INDEX "instances_tenant_id_id_key" ON "instances"("tenant_id", "id");

-- CreateIndex
CREATE INDEX "instances_tenant_id_integration_id_idx" ON "instances"("tenant_id", "integration_id");

-- CreateIndex
CREATE INDEX "instances_integration_id_version_idx" ON "instances"("integration_id", "version");

-- CreateIndex
CREATE INDEX "instances_tenant_id_customer_id_idx" ON "instances"("tenant_id", "customer_id");

-- CreateIndex
CREATE INDEX "instance_api_keys_tenant_id_instance_id_idx" ON "instance_api_keys"("tenant_id", "instance_id");

-- CreateIndex
CREATE INDEX "triggers_tenant_id_integration_id_idx" ON "triggers"("tenant_id", "integration_id");

-- CreateIndex
CREATE INDEX "triggers_tenant_id_instance_id_idx" ON "triggers"("tenant_id", "instance_id");

-- CreateIndex
CREATE INDEX "flow_executions_tenant_id_instance_id_id_idx" ON "flow_executions"("tenant_id", "instance_id", "id");

-- CreateIndex
CREATE INDEX "flow_executions_tenant_id_integration_id_id_idx" ON "flow_executions"("tenant_id", "integration_id", "id");

-- CreateIndex
CREATE INDEX "flow_executions_status_created_at_idx" ON "flow_executions"("status", "created_at");

-- AddForeignKey
ALTER TABLE "customers" ADD CONSTRAINT "customers_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "integrations" ADD CONSTRAINT "integrations_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "integration_versions" ADD CONSTRAINT "integration_versions_tenant_id_integration_id_fkey" FOREIGN KEY ("tenant_id", "integration_id") REFERENCES "integrations"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "instances" ADD CONSTRAINT "instances_tenant_id_integration_id_fkey" FOREIGN KEY ("tenant_id", "integration_id") REFERENCES "integrations"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "instances" ADD CONSTRAINT "instances_tenant_id_customer_id_fkey" FOREIGN KEY ("tenant_id", "customer_id") REFERENCES "customers"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "instances" ADD CONSTRAINT "instances_integration_id_version_fkey" FOREIGN KEY ("integration_id", "version") REFERENCES "integration_versions"("integration_id", "version") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "instance_api_keys" ADD CONSTRAINT "instance_api_keys_tenant_id_instance_id_fkey" FOREIGN KEY ("tenant_id", "instance_id") REFERENCES "instances"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "triggers" ADD CONSTRAINT "triggers_tenant_id_integration_id_fkey" FOREIGN KEY ("tenant_id", "integration_id") REFERENCES "integrations"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "triggers" ADD CONSTRAINT "triggers_tenant_id_instance_id_fkey" FOREIGN KEY ("tenant_id", "instance_id") REFERENCES "instances"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "flow_executions" ADD CONSTRAINT "flow_executions_tenant_id_integration_id_fkey" FOREIGN KEY ("tenant_id", "integration_id") REFERENCES "integrations"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "flow_executions" ADD CONSTRAINT "flow_executions_tenant_id_instance_id_fkey" FOREIGN KEY ("tenant_id", "instance_id") REFERENCES "instances"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;
