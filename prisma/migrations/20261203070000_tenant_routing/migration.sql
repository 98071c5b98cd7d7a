-- Which endpoints take which events is read on every publish. Publishers keep each tenant's
-- routing (its endpoints that have subscriptions: status, customer, flags, event types) in memory,
-- with the version it was read at; every change that alters routing bumps the tenant's version
-- here, in the same transaction, and the statement that stores events checks the version it
-- routed by (see packages/db/src/events/routing.ts). A publish never routes by a stale table: a
-- changed version makes the store write nothing, and the publisher reads the routing again.

-- CreateTable
CREATE TABLE "tenant_routing" (
    "tenant_id" TEXT NOT NULL,
    "version" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "tenant_routing_pkey" PRIMARY KEY ("tenant_id")
);

-- AddForeignKey
ALTER TABLE "tenant_routing" ADD CONSTRAINT "tenant_routing_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Bumps the version of every tenant named in `changed`, in id order (a statement that touches
-- several tenants locks their rows in one order). A tenant being deleted (its rows go by cascade)
-- is no longer visible and is left alone. The bump locks the tenant's row until commit: two
-- transactions changing the same tenant's routing serialize on it, and one that first locked a
-- subscription another is changing can deadlock with it; the repositories run such transactions
-- again when Postgres undoes them.
CREATE FUNCTION bump_tenant_routing(changed TEXT[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO tenant_routing AS r (tenant_id, version)
  SELECT t.id, 1 FROM tenants t WHERE t.id = ANY(changed) ORDER BY t.id
  ON CONFLICT (tenant_id) DO UPDATE SET version = r.version + 1;
$$;

CREATE FUNCTION routing_changed_by_new_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM bump_tenant_routing(ARRAY(SELECT DISTINCT tenant_id FROM new_rows));
  RETURN NULL;
END $$;

CREATE FUNCTION routing_changed_by_old_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM bump_tenant_routing(ARRAY(SELECT DISTINCT tenant_id FROM old_rows));
  RETURN NULL;
END $$;

CREATE FUNCTION routing_changed_by_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM bump_tenant_routing(ARRAY[OLD.tenant_id, NEW.tenant_id]);
  RETURN NULL;
END $$;

-- Endpoints: created or deleted (once per statement), or changed in what routing reads.
CREATE TRIGGER endpoints_routing_insert AFTER INSERT ON endpoints
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION routing_changed_by_new_rows();
CREATE TRIGGER endpoints_routing_delete AFTER DELETE ON endpoints
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION routing_changed_by_old_rows();
CREATE TRIGGER endpoints_routing_update AFTER UPDATE OF tenant_id, status, asynchronous, ignore_for_api, customer_id ON endpoints
  FOR EACH ROW WHEN (
    OLD.tenant_id IS DISTINCT FROM NEW.tenant_id OR OLD.status IS DISTINCT FROM NEW.status
    OR OLD.asynchronous IS DISTINCT FROM NEW.asynchronous OR OLD.ignore_for_api IS DISTINCT FROM NEW.ignore_for_api
    OR OLD.customer_id IS DISTINCT FROM NEW.customer_id
  ) EXECUTE FUNCTION routing_changed_by_row();

-- Subscriptions: created, deleted, or changed in the types or the endpoint they name.
CREATE TRIGGER subscriptions_routing_insert AFTER INSERT ON subscriptions
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION routing_changed_by_new_rows();
CREATE TRIGGER subscriptions_routing_delete AFTER DELETE ON subscriptions
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION routing_changed_by_old_rows();
CREATE TRIGGER subscriptions_routing_update AFTER UPDATE OF tenant_id, endpoint_id, event_types ON subscriptions
  FOR EACH ROW WHEN (
    OLD.tenant_id IS DISTINCT FROM NEW.tenant_id OR OLD.endpoint_id IS DISTINCT FROM NEW.endpoint_id
    OR OLD.event_types IS DISTINCT FROM NEW.event_types
  ) EXECUTE FUNCTION routing_changed_by_row();
