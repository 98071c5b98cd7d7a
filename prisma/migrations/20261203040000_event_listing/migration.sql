-- The dashboard's read APIs. GET /v1/events and GET /v1/deliveries list a tenant's rows newest
-- first by (created_at, id), with optional since/until bounds on created_at: one index each,
-- leading with the tenant, serves the order, the bounds and the cursor (scanned backwards), so a
-- page reads about `limit` rows whatever the window. GET /v1/stats counts the attempts of the
-- last minutes; attempts carry no tenant, so it finds them through the tenant's deliveries
-- attempted in the window (last_attempt_at is the start of a delivery's latest attempt, so every
-- attempt in the window belongs to a delivery found this way), then by attempts' own index.
--
-- The two new deliveries indexes lead with the tenant, like the one 20261202010000 dropped because
-- the cascades' generic plans picked it. The indexes matching the foreign keys remain and match
-- both of a cascade's columns where these match one: with plan_cache_mode = force_generic_plan,
-- the cascades' DELETEs by (tenant_id, event_id) and (tenant_id, endpoint_id) still use them.

-- CreateIndex
CREATE INDEX "events_tenant_id_created_at_id_idx" ON "events"("tenant_id", "created_at", "id");

-- CreateIndex
CREATE INDEX "deliveries_tenant_id_created_at_id_idx" ON "deliveries"("tenant_id", "created_at", "id");

-- CreateIndex
CREATE INDEX "deliveries_tenant_id_last_attempt_at_idx" ON "deliveries"("tenant_id", "last_attempt_at");
