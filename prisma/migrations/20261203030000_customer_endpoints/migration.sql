-- An endpoint may belong to one of the tenant's customers, and an event may be published for
-- one: such an event fans out only to that customer's endpoints, and an event without a
-- customer only to endpoints without one (so tenants that never name a customer see no change).
-- Both keys name the tenant, as the keys of subscriptions and deliveries do, so no endpoint or
-- event can point at another tenant's customer; a NULL customer_id is checked against nothing.
-- Deleting a customer deletes its endpoints and then its events in batches
-- (packages/db/src/integrations/customers.repository.ts); the cascades are the net behind them.
-- The indexes lead with the tenant, matching the keys, so those deletions and their cascades
-- find the rows by index (see 20261202010000_delivery_indexes_lead_with_tenant).

-- AlterTable
ALTER TABLE "endpoints" ADD COLUMN "customer_id" TEXT;

-- AlterTable
ALTER TABLE "events" ADD COLUMN "customer_id" TEXT;

-- CreateIndex
CREATE INDEX "endpoints_tenant_id_customer_id_idx" ON "endpoints"("tenant_id", "customer_id");

-- CreateIndex
CREATE INDEX "events_tenant_id_customer_id_idx" ON "events"("tenant_id", "customer_id");

-- AddForeignKey
ALTER TABLE "endpoints" ADD CONSTRAINT "endpoints_tenant_id_customer_id_fkey" FOREIGN KEY ("tenant_id", "customer_id") REFERENCES "customers"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "events" ADD CONSTRAINT "events_tenant_id_customer_id_fkey" FOREIGN KEY ("tenant_id", "customer_id") REFERENCES "customers"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;
