-- A tenant's own retention in days; NULL follows the installation's RETENTION_DAYS.
ALTER TABLE "tenants" ADD COLUMN "retention_days" INTEGER;
ALTER TABLE "tenants" ADD CONSTRAINT "tenants_retention_days_check" CHECK ("retention_days" BETWEEN 1 AND 3650);

-- The oldest unfinished delivery pins the history around it: a partition of attempts is dropped
-- only when no pending or held delivery is older than its end. Partial, so it holds only the few
-- unfinished rows and finding the oldest is one index probe.
CREATE INDEX "deliveries_created_at_idx" ON "deliveries"("created_at") WHERE "status" IN ('pending', 'held');

-- The purge finds a tenant's old executions by age.
CREATE INDEX "executions_tenant_id_created_at_idx" ON "executions"("tenant_id", "created_at");
CREATE INDEX "flow_executions_tenant_id_created_at_idx" ON "flow_executions"("tenant_id", "created_at");
