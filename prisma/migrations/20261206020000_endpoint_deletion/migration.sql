-- Deleting an endpoint marks it: every lookup skips a marked endpoint from that moment, and the
-- workers delete its deliveries and attempts in batches, then the row (see
-- packages/db/src/endpoints/endpoint-deletion.ts). Partial: only marked endpoints are indexed.
ALTER TABLE "endpoints" ADD COLUMN "deleted_at" TIMESTAMPTZ(3);
CREATE INDEX "endpoints_deleted_at_idx" ON "endpoints"("deleted_at") WHERE "deleted_at" IS NOT NULL;
