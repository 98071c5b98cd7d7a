import { fileURLToPath } from "node:url";
import { freePort, spawnTsProcess, TEST_ADMIN_TOKEN, TEST_PROCESS_ENV, TEST_REDIS_URL, type SpawnedProcess } from "@hookline/testing";

const MAIN = fileURLToPath(new URL("../src/main.ts", import.meta.url));

/** The API as its own process (src/main.ts), on a free loopback port, with the file's database and queue prefix. */
export async function spawnApi(
  files: { databaseUrl: string; queuePrefix: string },
  extra: Record<string, string> = {},
): Promise<{ api: SpawnedProcess; port: number; base: string }> {
  const port = await freePort();
  const api = spawnTsProcess(MAIN, {
    ...TEST_PROCESS_ENV,
    NODE_ENV: "test",
    HOST: "127.0.0.1",
    PORT: String(port),
    DATABASE_URL: files.databaseUrl,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: files.queuePrefix,
    ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    ...extra,
  });
  return { api, port, base: `http://127.0.0.1:${port}` };
}
