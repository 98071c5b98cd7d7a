import { fileURLToPath } from "node:url";
import { connectDatabase, type Database } from "@hookline/db";
import {
  createTestDatabase,
  freePort,
  jsonClient,
  spawnTsProcess,
  startPgBouncer,
  startReceiver,
  testQueuePrefix,
  waitForHttp,
  TEST_ADMIN_TOKEN,
  TEST_ENCRYPTION_KEY,
  TEST_REDIS_URL,
  type PgBouncer,
  type Receiver,
  type SpawnedProcess,
  type TestDatabase,
} from "@hookline/testing";

/**
 * Hookline behind PgBouncer 1.18 in transaction mode, as most managed Postgres runs: two server
 * connections shared by every client of the API and the worker (separate processes, as deployed),
 * so a statement prepared by name on one server connection is missing on the next, or already
 * there for another client. Session mode, where a client keeps its server connection, is checked
 * too.
 */
const API_MAIN = fileURLToPath(new URL("../../../apps/api/src/main.ts", import.meta.url));
const WORKER_MAIN = fileURLToPath(new URL("../../../apps/worker/src/main.ts", import.meta.url));
const EVENTS = 300;
const PREPARED_STATEMENT_ERROR = /prepared statement \\?"[^"\\]+\\?" (does not exist|already exists)/;

let database: TestDatabase;
/** Transaction mode, two server connections shared by every client. */
let transactionPooler: PgBouncer;
const poolers: PgBouncer[] = [];
/** Postgres itself, not through the pooler: where the test counts what was stored. */
let direct: Database;
const processes: SpawnedProcess[] = [];
const receivers: Receiver[] = [];
const queues: { cleanup(): Promise<void> }[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  transactionPooler = await startPgBouncer({ poolMode: "transaction", poolSize: 2 });
  poolers.push(transactionPooler);
  direct = connectDatabase({ url: database.url, encryptionKey: Buffer.from(TEST_ENCRYPTION_KEY, "base64"), poolMax: 2 });
});
afterAll(async () => {
  await Promise.all(processes.map((p) => p.stop()));
  await Promise.all(poolers.map((pooler) => pooler.stop()));
  await direct?.close();
  await Promise.all(receivers.map((r) => r.close()));
  await Promise.all(queues.map((q) => q.cleanup()));
  await database?.drop();
});

interface Run {
  readonly receiver: Receiver;
  readonly api: SpawnedProcess;
  readonly worker: SpawnedProcess;
  /** Every answer's status, setup and publishes alike. */
  readonly statuses: number[];
  readonly published: string[];
  readonly endpointId: string | undefined;
}

/**
 * Starts an API and a worker process on `pooler` with `env`, creates a tenant with one endpoint
 * (a real loopback receiver), and publishes EVENTS events ten at a time. Stops at the first setup
 * step that is refused; publishes that are refused are counted, not retried.
 */
async function burstThroughPooler(pooler: PgBouncer, env: Record<string, string>): Promise<Run> {
  const queue = testQueuePrefix();
  queues.push(queue);
  const receiver = await startReceiver();
  receivers.push(receiver);
  const port = await freePort();
  const shared = {
    DATABASE_URL: pooler.urlFor(database.name),
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: queue.prefix,
    LOG_LEVEL: "warn",
    ...env,
  };
  const api = spawnTsProcess(API_MAIN, { ...shared, PORT: String(port), HOST: "127.0.0.1", ADMIN_TOKEN: TEST_ADMIN_TOKEN });
  const worker = spawnTsProcess(WORKER_MAIN, { ...shared, LOG_LEVEL: "info", WORKER_CONCURRENCY: "20" });
  processes.push(api, worker);
  const url = `http://127.0.0.1:${port}`;
  await Promise.all([waitForHttp(`${url}/healthz`), worker.waitFor("Hookline worker ready")]);

  const statuses: number[] = [];
  const published: string[] = [];
  const run = { receiver, api, worker, statuses, published };
  const tenant = await jsonClient(url, TEST_ADMIN_TOKEN)<{ api_key: string }>("POST", "/v1/tenants", { body: { name: "pooled" } });
  statuses.push(tenant.status);
  if (tenant.status !== 201) return { ...run, endpointId: undefined };
  const request = jsonClient(url, tenant.body.api_key);
  const endpoint = await request<{ id: string }>("POST", "/v1/endpoints", { body: { name: "receiver", url: receiver.url } });
  statuses.push(endpoint.status);
  if (endpoint.status !== 201) return { ...run, endpointId: undefined };
  const subscription = await request("POST", "/v1/subscriptions", { body: { endpoint_id: endpoint.body.id, event_types: ["pooled.*"] } });
  statuses.push(subscription.status);
  if (subscription.status !== 201) return { ...run, endpointId: undefined };

  let next = 0;
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      for (let i = next++; i < EVENTS; i = next++) {
        const answer = await request<{ id: string }>("POST", "/v1/events", { body: { event_type: "pooled.event", data: { i } } });
        statuses.push(answer.status);
        if (answer.status === 202) published.push(answer.body.id);
      }
    }),
  );
  return { ...run, endpointId: endpoint.body.id };
}

/** The endpoint's deliveries once none is pending any more, or as they are after 15 s. */
async function settled(endpointId: string | undefined) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const deliveries = await direct.prisma.delivery.findMany({ where: { endpointId }, select: { id: true, status: true } });
    if (deliveries.every((d) => d.status !== "pending") || Date.now() > deadline) return deliveries;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Every publish answered 202, and every event reached the receiver once, under its delivery's id. */
async function expectEachDeliveredOnce(run: Run): Promise<void> {
  expect(run.statuses.filter((status) => status >= 300)).toEqual([]);
  expect(run.published).toHaveLength(EVENTS);

  await run.receiver.waitFor(EVENTS, 30_000);
  const ids = run.receiver.requests.map((r) => String(r.headers["webhook-id"]));
  expect(new Set(ids).size).toBe(EVENTS);
  expect(new Set(run.receiver.requests.map((r) => (JSON.parse(r.body) as { id: string }).id))).toEqual(new Set(run.published));
  // Every delivery succeeded at its one attempt, and each was received under its own id. The
  // worker records an attempt after the receiver answered it, so the last rows may lag a moment.
  const deliveries = await settled(run.endpointId);
  expect(deliveries.filter((d) => d.status !== "succeeded")).toEqual([]);
  expect(new Set(ids)).toEqual(new Set(deliveries.map((d) => d.id)));
  expect(await direct.prisma.attempt.count({ where: { delivery: { endpointId: run.endpointId } } })).toBe(EVENTS);
  // No statement failed on its way through the pooler, not even one that was retried.
  expect(run.api.lines.concat(run.worker.lines).join("\n")).not.toMatch(PREPARED_STATEMENT_ERROR);
}

it(`with DATABASE_POOLER=transaction, delivers a burst of ${EVENTS} events through PgBouncer in transaction mode, each once`, async () => {
  await expectEachDeliveredOnce(await burstThroughPooler(transactionPooler, { DATABASE_POOLER: "transaction" }));
}, 60_000);

it("without it, the same path fails through the same PgBouncer on the hot path's named statements", async () => {
  const run = await burstThroughPooler(transactionPooler, {});
  expect(run.statuses.some((status) => status >= 500)).toBe(true);
  expect(run.api.lines.join("\n")).toMatch(PREPARED_STATEMENT_ERROR);
}, 60_000);

it("in session mode needs no setting, given a server connection for each of its pooled connections", async () => {
  // A client keeps its server connection for as long as it is connected: the API's pool (10) and
  // the worker's (4 at this concurrency) each need theirs.
  const sessionPooler = await startPgBouncer({ poolMode: "session", poolSize: 20 });
  poolers.push(sessionPooler);
  await expectEachDeliveredOnce(await burstThroughPooler(sessionPooler, {}));
}, 60_000);
