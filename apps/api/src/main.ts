import cluster from "node:cluster";
import { loadConfigOrExit } from "@hookline/config";
import { createLogger, ensureStartable, standardOutput } from "@hookline/core";
import { postgresDependency } from "@hookline/db";
import { redisDependency } from "@hookline/queue";
import { startTelemetry } from "@hookline/telemetry";
import { joinApiCluster, runApiPrimary } from "./api-processes.js";
import { startApi } from "./server.js";

const config = loadConfigOrExit("hookline-api");
const logger = createLogger({ level: config.logLevel, name: "hookline-api" });
// A cluster's primary checks for all of its processes, before it forks them.
if (!cluster.isWorker) {
  await ensureStartable(
    "hookline-api",
    standardOutput(),
    [postgresDependency(config.databaseUrl), redisDependency(config.redis)],
    config.startupTimeoutMs,
    { processes: config.api.processes },
  );
}

if (config.api.processes > 1 && cluster.isPrimary) {
  runApiPrimary(config.api.processes, logger);
} else {
  if (cluster.isWorker) joinApiCluster();
  await serve();
}

async function serve(): Promise<void> {
  if (!config.api.adminToken && !cluster.isWorker) logger.warn("ADMIN_TOKEN is not set: POST /v1/tenants is disabled");
  const telemetry = await startTelemetry(config.tracing, { serviceName: "hookline-api", logger });
  const starting = startApi(config, logger, { tracing: telemetry.tracing });

  // Handlers go in before the API announces itself, so a stop right after start is still graceful.
  let stopping = false;
  async function shutdown(signal: string) {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    const force = setTimeout(() => process.exit(1), 10_000).unref();
    const api = await starting.catch(() => undefined);
    await api?.stop();
    // The spans of the last requests go to the collector before the process does.
    await telemetry.shutdown();
    clearTimeout(force);
    process.exit(0);
  }
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  // In a cluster the primary passes the stop on; the terminal's Ctrl-C reaches every process.
  process.on("SIGINT", () => void (cluster.isWorker ? undefined : shutdown("SIGINT")));

  try {
    const api = await starting;
    logger.info({ url: api.url, port: api.port }, `Hookline API listening on ${api.url}`);
  } catch (error) {
    logger.fatal({ err: error }, "API could not start");
    process.exit(1);
  }
}
