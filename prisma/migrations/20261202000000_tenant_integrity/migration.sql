-- Rows that point at an endpoint or an event point at one of their own tenant's: the foreign
-- keys name the tenant too, so a subscription or a delivery of one tenant can never reference
-- another tenant's endpoint or event, whatever the code above does. (An attempt references its
-- delivery only, so it belongs to that delivery's tenant.)
-- A composite key needs a unique target: the (tenant_id, id) indexes of endpoints and events,
-- which tenant-scoped lookups already used, become unique (id alone is the primary key, so no
-- existing row can violate them). An installation holding a cross-tenant reference already
-- fails here and changes nothing: that row is corrupt and must be looked at by a person.

-- DropIndex
DROP INDEX "endpoints_tenant_id_id_idx";

-- CreateIndex
CREATE UNIQUE INDEX "endpoints_tenant_id_id_key" ON "endpoints"("tenant_id", "id");

-- DropIndex
DROP INDEX "events_tenant_id_id_idx";

-- CreateIndex
CREATE UNIQUE INDEX "events_tenant_id_id_key" ON "events"("tenant_id", "id");

-- DropForeignKey
ALTER TABLE "subscriptions" DROP CONSTRAINT "subscriptions_endpoint_id_fkey";

-- DropForeignKey
ALTER TABLE "deliveries" DROP CONSTRAINT "deliveries_endpoint_id_fkey";

-- DropForeignKey
ALTER TABLE "deliveries" DROP CONSTRAINT "deliveries_event_id_fkey";

-- AddForeignKey
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_tenant_id_endpoint_id_fkey" FOREIGN KEY ("tenant_id", "endpoint_id") REFERENCES "endpoints"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_tenant_id_event_id_fkey" FOREIGN KEY ("tenant_id", "event_id") REFERENCES "events"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_tenant_id_endpoint_id_fkey" FOREIGN KEY ("tenant_id", "endpoint_id") REFERENCES "endpoints"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;
