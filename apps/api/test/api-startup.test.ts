import { once } from "node:events";
import { EXIT_CODES } from "@hookline/core";
import { freePort, useTestDatabase, useTestRedis } from "@hookline/testing";
import { spawnApi } from "./spawn-api.js";

const database = useTestDatabase();
const queue = useTestRedis();

/** The API checks its dependencies as the worker does (apps/worker/test/startup.test.ts covers every case). */
describe("the API at start", () => {
  it("names a Redis that refuses connections in one line and exits 81", async () => {
    const port = await freePort();
    const { api } = await spawnApi(
      { databaseUrl: database.url, queuePrefix: queue.prefix },
      { REDIS_URL: `redis://127.0.0.1:${port}`, STARTUP_TIMEOUT_SECONDS: "1" },
    );
    const [code] = (await once(api.child, "close")) as [number | null];
    expect(code).toBe(EXIT_CODES.redisUnreachable);
    expect(api.lines.filter((line) => line.startsWith("hookline-api: "))).toEqual([
      `hookline-api: waiting for Redis at 127.0.0.1:${port} (connection refused); giving up in 1 s`,
      expect.stringMatching(
        new RegExp(`^hookline-api: cannot reach Redis at 127\\.0\\.0\\.1:${port} \\(connection refused, \\d+ tries in 1 s\\); exiting$`),
      ),
    ]);
  });

  it("checks once, in the primary, before it forks API processes", async () => {
    const port = await freePort();
    const { api } = await spawnApi(
      { databaseUrl: `postgres://postgres@127.0.0.1:${port}/hookline`, queuePrefix: queue.prefix },
      { API_PROCESSES: "2", STARTUP_TIMEOUT_SECONDS: "0" },
    );
    const [code] = (await once(api.child, "close")) as [number | null];
    expect(code).toBe(EXIT_CODES.postgresUnreachable);
    expect(api.lines.filter((line) => line.startsWith("hookline-api: "))).toEqual([
      `hookline-api: cannot reach Postgres at 127.0.0.1:${port}/hookline (connection refused); exiting`,
    ]);
    expect(api.lines.join("\n")).not.toContain("started the API processes");
  });
});
