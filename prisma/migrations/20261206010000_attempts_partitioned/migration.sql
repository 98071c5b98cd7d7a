-- Attempts are partitioned by range of their delivery's creation time, one partition per UTC day,
-- so that every attempt of a delivery lives in the partition of the day it was published, and a
-- day past every tenant's retention goes by dropping its partition instead of deleting its rows
-- (see packages/db/src/retention/attempt-partitions.ts). A primary key and a unique index of a
-- partitioned table must hold the partition key; a delivery's creation time never changes, so
-- (delivery_id, attempt_number) stays unique in effect.

ALTER TABLE "attempts" RENAME TO "attempts_unpartitioned";
ALTER TABLE "attempts_unpartitioned" RENAME CONSTRAINT "attempts_pkey" TO "attempts_unpartitioned_pkey";
ALTER INDEX "attempts_delivery_id_attempt_number_key" RENAME TO "attempts_unpartitioned_delivery_id_attempt_number_key";
ALTER TABLE "attempts_unpartitioned" RENAME CONSTRAINT "attempts_delivery_id_fkey" TO "attempts_unpartitioned_delivery_id_fkey";

CREATE TABLE "attempts" (
    "id" TEXT NOT NULL,
    "delivery_id" TEXT NOT NULL,
    "delivery_created_at" TIMESTAMPTZ(3) NOT NULL,
    "attempt_number" INTEGER NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "duration_ms" INTEGER NOT NULL,
    "status_code" INTEGER,
    "error_kind" TEXT,
    "error_message" TEXT,
    "response_headers" JSONB,
    "response_body" TEXT,

    CONSTRAINT "attempts_pkey" PRIMARY KEY ("id", "delivery_created_at")
) PARTITION BY RANGE ("delivery_created_at");

CREATE UNIQUE INDEX "attempts_delivery_id_attempt_number_delivery_created_at_key" ON "attempts"("delivery_id", "attempt_number", "delivery_created_at");

ALTER TABLE "attempts" ADD CONSTRAINT "attempts_delivery_id_fkey" FOREIGN KEY ("delivery_id") REFERENCES "deliveries"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A day without its partition (the job that creates them ahead has not run) lands here rather
-- than failing the insert; the job moves such rows into the day's partition when it creates it.
CREATE TABLE "attempts_default" PARTITION OF "attempts" DEFAULT;

-- Everything before today in one partition, dropped whole once all of it is past retention; then
-- one partition per day from today, a week ahead (the workers keep creating them ahead).
DO $$
DECLARE
  today date := (now() AT TIME ZONE 'UTC')::date;
BEGIN
  EXECUTE format('CREATE TABLE %I PARTITION OF "attempts" FOR VALUES FROM (MINVALUE) TO (%L)',
                 'attempts_before_' || to_char(today, 'YYYYMMDD'), today::timestamp AT TIME ZONE 'UTC');
  FOR d IN 0..7 LOOP
    EXECUTE format('CREATE TABLE %I PARTITION OF "attempts" FOR VALUES FROM (%L) TO (%L)',
                   'attempts_p' || to_char(today + d, 'YYYYMMDD'),
                   (today + d)::timestamp AT TIME ZONE 'UTC', (today + d + 1)::timestamp AT TIME ZONE 'UTC');
  END LOOP;
END $$;

INSERT INTO "attempts" ("id", "delivery_id", "delivery_created_at", "attempt_number", "started_at", "duration_ms", "status_code",
                        "error_kind", "error_message", "response_headers", "response_body")
SELECT a."id", a."delivery_id", d."created_at", a."attempt_number", a."started_at", a."duration_ms", a."status_code",
       a."error_kind", a."error_message", a."response_headers", a."response_body"
FROM "attempts_unpartitioned" a JOIN "deliveries" d ON d."id" = a."delivery_id";

-- The foreign key guarantees every attempt has its delivery; checked anyway before the old table goes.
DO $$
BEGIN
  IF (SELECT count(*) FROM "attempts") <> (SELECT count(*) FROM "attempts_unpartitioned") THEN
    RAISE EXCEPTION 'attempts were not all moved into the partitioned table';
  END IF;
END $$;

DROP TABLE "attempts_unpartitioned";
