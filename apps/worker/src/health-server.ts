import { createServer, type Server } from "node:http";
import { metricsText, type Logger } from "@hookline/core";
import type { RunningWorker } from "./worker.js";

/**
 * GET /healthz for orchestrators: 200 while the worker takes jobs, 503 when it is not running,
 * has lost Redis, or has jobs waiting but starts none (a liveness probe should restart it).
 * GET /metrics: Prometheus metrics. The port is internal; nothing here needs a credential.
 */
export async function startHealthServer(worker: RunningWorker, port: number, logger: Logger): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method === "GET" && req.url === "/metrics") {
      metricsText().then(
        ({ contentType, body }) => res.writeHead(200, { "content-type": contentType }).end(body),
        () => res.writeHead(500).end(),
      );
      return;
    }
    if (req.method !== "GET" || req.url !== "/healthz") {
      res.writeHead(404).end();
      return;
    }
    worker
      .health()
      .then((health) => {
        res.writeHead(health.healthy ? 200 : 503, { "content-type": "application/json" });
        res.end(JSON.stringify({ status: health.healthy ? "ok" : "unhealthy", ...health }));
      })
      .catch((error: unknown) => {
        res.writeHead(503, { "content-type": "application/json" });
        res.end(JSON.stringify({ status: "unhealthy", reason: (error as Error).message }));
      });
  });
  await new Promise<void>((resolve) => server.listen(port, "0.0.0.0", resolve));
  const address = server.address();
  logger.info({ port: typeof address === "object" && address ? address.port : port }, "worker health endpoint listening");
  return server;
}
