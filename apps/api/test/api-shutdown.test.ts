import {
  jsonClient,
  openLingeringConnections,
  TEST_ADMIN_TOKEN,
  useTestDatabase,
  useTestRedis,
  type LingeringConnections,
} from "@hookline/testing";
import { spawnApi } from "./spawn-api.js";

const database = useTestDatabase();
const queue = useTestRedis();

/**
 * What a browser and a slow integration leave open when the API is told to stop: an idle
 * keep-alive connection, a request whose body never finishes, and a publish waiting on a
 * synchronous webhook whose receiver does not answer. The API must still exit, in time.
 */
it("exits within its deadline on SIGTERM with a keep-alive connection, an unfinished body and a synchronous webhook waiting", async () => {
  const { api, base } = await spawnApi({ databaseUrl: database.url, queuePrefix: queue.prefix }, { ALLOW_PRIVATE_TARGETS: "127.0.0.1" });
  let lingering: LingeringConnections | undefined;
  try {
    await api.waitFor("Hookline API listening");
    const tenant = await jsonClient(base, TEST_ADMIN_TOKEN)<{ api_key: string }>("POST", "/v1/tenants", { body: { name: "stop" } });
    lingering = await openLingeringConnections(base, tenant.body.api_key);

    // Its deadline is 10 s, after which it forces its exit with code 1: 0 says it stopped in time
    // by itself (and Jest's timeout would catch a process that never exits).
    expect(await api.stop("SIGTERM")).toBe(0);
    await lingering.waiting;
  } finally {
    await lingering?.close();
    if (api.child.exitCode === null) await api.stop("SIGKILL");
  }
}, 60_000);
