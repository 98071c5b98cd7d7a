import { fileURLToPath } from "node:url";
import { createTestDatabase, spawnTsProcess, testQueuePrefix, TEST_REDIS_URL, type TestDatabase } from "@hookline/testing";

const MAIN = fileURLToPath(new URL("../src/main.ts", import.meta.url));

let database: TestDatabase;
const queue = testQueuePrefix();
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
  await queue.cleanup();
});

describe("the worker process", () => {
  it("starts, connects to Redis and Postgres, and exits 0 on SIGTERM", async () => {
    const worker = spawnTsProcess(MAIN, { DATABASE_URL: database.url, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: queue.prefix, LOG_LEVEL: "info" });
    await worker.waitFor("Hookline worker ready");
    expect(await worker.stop("SIGTERM")).toBe(0);
    expect(worker.lines.some((l) => l.includes("worker stopped"))).toBe(true);
    // Logs are pino JSON lines.
    expect(() => worker.lines.map((l) => JSON.parse(l))).not.toThrow();
  });

  it("refuses to start on a bad configuration, naming the variable", async () => {
    const worker = spawnTsProcess(MAIN, { DATABASE_URL: "mysql://nope", REDIS_URL: TEST_REDIS_URL });
    expect(await worker.stop("SIGCONT")).toBe(1);
    expect(worker.lines.join("\n")).toContain("DATABASE_URL");
  });
});
