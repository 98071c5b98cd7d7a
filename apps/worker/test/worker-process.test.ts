import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { createTestDatabase, testQueuePrefix, TEST_REDIS_URL, type TestDatabase } from "@hookline/testing";

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

/** Starts the worker as its own process, exactly as npm start does, but from source. */
function startWorkerProcess(env: Record<string, string>): { child: ChildProcess; lines: string[]; waitFor(text: string): Promise<void> } {
  const child = spawn(process.execPath, ["--conditions=hookline-source", "--import", "tsx", MAIN], {
    env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  const waiters: { text: string; resolve: () => void }[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on("line", (line) => {
      lines.push(line);
      for (const w of waiters.filter((w) => line.includes(w.text))) w.resolve();
    });
  }
  return {
    child,
    lines,
    waitFor: (text) =>
      new Promise<void>((resolve, reject) => {
        if (lines.some((l) => l.includes(text))) return resolve();
        waiters.push({ text, resolve });
        child.once("exit", (code) => reject(new Error(`worker exited (${code}) before "${text}":\n${lines.join("\n")}`)));
      }),
  };
}

describe("the worker process", () => {
  it("starts, connects to Redis and Postgres, and exits 0 on SIGTERM", async () => {
    const worker = startWorkerProcess({ DATABASE_URL: database.url, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: queue.prefix });
    await worker.waitFor("Hookline worker ready");
    worker.child.kill("SIGTERM");
    const [code] = await once(worker.child, "exit");
    expect(code).toBe(0);
    expect(worker.lines.some((l) => l.includes("worker stopped"))).toBe(true);
    // Logs are pino JSON lines.
    expect(() => worker.lines.filter((l) => l.startsWith("{")).map((l) => JSON.parse(l))).not.toThrow();
  });

  it("refuses to start on a bad configuration, naming the variable", async () => {
    const worker = startWorkerProcess({ DATABASE_URL: "mysql://nope", REDIS_URL: TEST_REDIS_URL });
    const [code] = await once(worker.child, "exit");
    expect(code).toBe(1);
    expect(worker.lines.join("\n")).toContain("DATABASE_URL");
  });
});
