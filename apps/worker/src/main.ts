import { loadConfigOrExit } from "@hookline/config";
import { createLogger, ensureStartable, standardOutput } from "@hookline/core";
import { postgresDependency } from "@hookline/db";
import { redisDependency } from "@hookline/queue";
import { startTelemetry } from "@hookline/telemetry";
import { processDelivery } from "./deliver.processor.js";
import { startHealthServer } from "./health-server.js";
import { startWorker } from "./worker.js";

const config = loadConfigOrExit("hookline-worker");
const logger = createLogger({ level: config.logLevel, name: "hookline-worker" });
await ensureStartable(
  "hookline-worker",
  standardOutput(),
  [postgresDependency(config.databaseUrl), redisDependency(config.redis)],
  config.startupTimeoutMs,
  { queuePrefix: config.queuePrefix },
);
const telemetry = await startTelemetry(config.tracing, { serviceName: "hookline-worker", logger });
const worker = startWorker(config, logger, processDelivery, { tracing: telemetry.tracing });

// Signal handlers go in before readiness is announced, so an orchestrator that stops the worker
// the moment it reports ready still gets a graceful shutdown.
let stopping = false;
let healthServer: Awaited<ReturnType<typeof startHealthServer>> | undefined;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "shutting down: finishing in-flight deliveries");
  await worker.ready.catch(() => undefined);
  const graceful = await worker.stop(config.worker.shutdownTimeoutMs);
  healthServer?.close();
  // The spans of the last jobs go to the collector before the process does.
  await telemetry.shutdown();
  if (graceful) logger.info("worker stopped");
  else logger.warn("shutdown deadline passed; unfinished deliveries will be retried by another worker");
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));

try {
  await worker.ready;
} catch (error) {
  logger.fatal({ err: error }, "worker could not start");
  process.exit(1);
}
if (config.worker.healthPort !== undefined && !stopping) {
  healthServer = await startHealthServer(worker, config.worker.healthPort, logger);
}
if (!stopping) logger.info({ queuePrefix: config.queuePrefix, concurrency: config.delivery.concurrency }, "Hookline worker ready");
