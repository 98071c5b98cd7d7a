-- `hookline listen`: a temporary endpoint whose deliveries are not sent over the network but
-- streamed to the CLI that opened a connection to the API; the CLI posts them to a local URL and
-- reports each answer back as the attempt's. A flavour of its own, so it shows as such.

-- AlterEnum
ALTER TYPE "endpoint_flavour" ADD VALUE 'listen';
