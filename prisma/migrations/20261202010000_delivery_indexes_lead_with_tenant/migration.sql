-- The foreign keys of deliveries name the tenant first ((tenant_id, event_id) and
-- (tenant_id, endpoint_id)), and so do the statements that cascade a deleted event or endpoint.
-- With an index that led with the tenant alone ((tenant_id, id)), Postgres's generic plan for
-- those cascades could pick it and scan every delivery of the tenant once per deleted event:
-- deleting a tenant with 20,000 deliveries took 16.6 s instead of 0.2 s, growing with the square
-- of its deliveries. The indexes now match the foreign keys, and (tenant_id, id), which no
-- query needed (the primary key finds a delivery by id), is gone.

-- DropIndex
DROP INDEX "deliveries_tenant_id_id_idx";

-- DropIndex
DROP INDEX "deliveries_event_id_idx";

-- DropIndex
DROP INDEX "deliveries_endpoint_id_status_seq_idx";

-- CreateIndex
CREATE INDEX "deliveries_tenant_id_event_id_idx" ON "deliveries"("tenant_id", "event_id");

-- CreateIndex
CREATE INDEX "deliveries_tenant_id_endpoint_id_status_seq_idx" ON "deliveries"("tenant_id", "endpoint_id", "status", "seq");
