import { ConfigError, loadConfig } from "@hookline/config";
import { createLogger } from "@hookline/core";
import { startApi } from "./server.js";

function loadConfigOrExit() {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`hookline-api: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

const config = loadConfigOrExit();
const logger = createLogger({ level: config.logLevel, name: "hookline-api" });
if (!config.api.adminToken) logger.warn("ADMIN_TOKEN is not set: POST /v1/tenants is disabled");

const api = await startApi(config, logger);
logger.info({ url: api.url, port: api.port }, `Hookline API listening on ${api.url}`);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "shutting down");
  const force = setTimeout(() => process.exit(1), 10_000).unref();
  await api.stop();
  clearTimeout(force);
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
