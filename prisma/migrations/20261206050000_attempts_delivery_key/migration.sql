-- Attempts reference their delivery by (id, created_at), the partition key included. The foreign
-- key's cascade runs one statement per deleted delivery; keyed by delivery_id alone, that statement
-- could not be pruned and probed every partition of attempts (108 µs per delivery with 54
-- partitions, nine tenths of the retention purge's cost); with the partition key it reads one.
-- Building the unique index and checking the new key read deliveries and attempts once, during
-- which writes to them wait (Postgres cannot add a NOT VALID foreign key to a partitioned table).

CREATE UNIQUE INDEX "deliveries_id_created_at_key" ON "deliveries"("id", "created_at");

ALTER TABLE "attempts" DROP CONSTRAINT "attempts_delivery_id_fkey";

ALTER TABLE "attempts" ADD CONSTRAINT "attempts_delivery_id_delivery_created_at_fkey"
  FOREIGN KEY ("delivery_id", "delivery_created_at") REFERENCES "deliveries"("id", "created_at")
  ON DELETE CASCADE ON UPDATE CASCADE;
