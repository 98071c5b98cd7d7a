import { ConfigError, loadConfig } from "@hookline/config";
import { createLogger } from "@hookline/core";
import { processDelivery } from "./deliver.processor.js";
import { startWorker } from "./worker.js";

function loadConfigOrExit() {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`hookline-worker: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

const config = loadConfigOrExit();
const logger = createLogger({ level: config.logLevel, name: "hookline-worker" });
const worker = startWorker(config, logger, processDelivery);

// Signal handlers go in before readiness is announced, so an orchestrator that stops the worker
// the moment it reports ready still gets a graceful shutdown.
let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "shutting down: finishing in-flight deliveries");
  const force = setTimeout(() => {
    logger.warn("shutdown deadline passed; unfinished deliveries will be retried by another worker");
    process.exit(1);
  }, 30_000).unref();
  await worker.ready.catch(() => undefined);
  await worker.stop();
  clearTimeout(force);
  logger.info("worker stopped");
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
if (!stopping) logger.info({ queuePrefix: config.queuePrefix }, "Hookline worker ready");
