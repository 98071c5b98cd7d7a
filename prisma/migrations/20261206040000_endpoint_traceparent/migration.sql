-- An endpoint may ask for a W3C `traceparent` header on its deliveries (the attempt's span, sent
-- only while tracing is on), so that a receiver that traces continues the event's trace. Off for
-- every endpoint that exists: a header no receiver asked for is never added to its requests.

-- AlterTable
ALTER TABLE "endpoints" ADD COLUMN "send_traceparent" BOOLEAN NOT NULL DEFAULT false;
