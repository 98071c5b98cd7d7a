import { TEST_ADMIN_TOKEN, useTestDatabase, useTestRedis } from "@hookline/testing";
import { spawnApi } from "./spawn-api.js";

const database = useTestDatabase();
const queue = useTestRedis();

/** The sum of the request-duration histogram's counts for one route, as Prometheus text shows it. */
function requestCount(metrics: string, route: string): number {
  return metrics
    .split("\n")
    .filter((line) => line.startsWith("hookline_http_request_duration_seconds_count") && line.includes(`route="${route}"`))
    .reduce((sum, line) => sum + Number(line.split(" ").pop()), 0);
}

describe("API_PROCESSES", () => {
  it("runs that many API processes on one port, serves from each, and counts every one's requests in /metrics", async () => {
    const { api, port } = await spawnApi(
      { databaseUrl: database.url, queuePrefix: queue.prefix },
      { API_PROCESSES: "2", LOG_LEVEL: "info" },
    );
    try {
      await api.waitFor("started the API processes");
      const listening = () => api.lines.filter((line) => line.includes("Hookline API listening")).length;
      // Both announce themselves; the second may come a moment after the first.
      await api.waitFor("Hookline API listening");
      while (listening() < 2) await new Promise((resolve) => setTimeout(resolve, 50));

      // Keep-alive off: each request a new connection, which the primary hands out in turn.
      for (let i = 0; i < 40; i++) {
        const response = await fetch(`http://127.0.0.1:${port}/healthz`, { headers: { connection: "close" } });
        expect(response.status).toBe(200);
      }
      const metrics = await (
        await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } })
      ).text();
      expect(requestCount(metrics, "/healthz")).toBe(40);
    } finally {
      expect(await api.stop("SIGTERM")).toBe(0);
    }
    // Both processes served: their request log lines (flushed at exit) carry two pids.
    const served = api.lines
      .map((line) => JSON.parse(line) as { pid?: number; msg?: string; req?: { url?: string } })
      .filter((l) => l.msg === "request completed" && l.req?.url === "/healthz");
    expect(served).toHaveLength(40);
    expect(new Set(served.map((l) => l.pid)).size).toBe(2);
  });
});
