import { fileURLToPath } from "node:url";
import { spawnTsProcess, startReceiver, TEST_REDIS_URL, type Receiver, type SpawnedProcess } from "@hookline/testing";
import { eventually, startEngine, type Engine } from "../src/engine.js";

/**
 * Queued inbound work is at least once: a worker killed with SIGKILL in the middle of a flow loses
 * nothing. Its lock lapses (FLOW_LOCK_SECONDS, short here), another worker runs the execution
 * again, and the flow sees that it is the second attempt.
 */
const WORKER_MAIN = fileURLToPath(new URL("../../../apps/worker/src/main.ts", import.meta.url));

let engine: Engine;
let receiver: Receiver;
const workers: SpawnedProcess[] = [];
beforeAll(async () => {
  engine = await startEngine({}, { workers: 0 });
  // The first flow's fetch is held until the worker running it is dead; the second is answered.
  receiver = await startReceiver((_request, index) => (index === 0 ? { status: 200, delayMs: 30_000 } : { status: 200, body: "ok" }));
});
afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop("SIGKILL")));
  await receiver.close();
  await engine.close();
});

const startWorker = () => {
  const worker = spawnTsProcess(WORKER_MAIN, {
    DATABASE_URL: engine.config.databaseUrl,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: engine.config.queuePrefix,
    FLOW_LOCK_SECONDS: "2",
    WORKFLOW_TIMEOUT_MS: "60000",
    // CPU time is wall time inside the interpreter; on a loaded machine a tiny flow can be charged
    // for time its (low-priority) thread waited, and this test is about crashes, not CPU limits.
    WORKFLOW_CPU_MS: "5000",
    LOG_LEVEL: "info",
  });
  workers.push(worker);
  return worker;
};

it("runs a flow again, once, after the worker running it was killed with SIGKILL", async () => {
  const tenant = await engine.newTenant("crash");
  const customer = (await tenant.request<{ id: string }>("POST", "/v1/customers", { body: { name: "c", external_id: "c-1" } })).body.id;
  const code = `export default async ({ env, flow, utils }) => {
    const answer = await utils.fetch(env.TARGET + "/attempt/" + flow.attempt, { method: "POST", body: "x" });
    return { attempt: flow.attempt, status: answer.status };
  };`;
  const integration = (
    await tenant.request<{ id: string }>("POST", "/v1/integrations", { body: { name: "crash", flows: [{ name: "only", code }] } })
  ).body.id;
  await tenant.request("POST", `/v1/integrations/${integration}/versions`);
  const instance = await tenant.request<{ flows: { url: string }[] }>("POST", "/v1/instances", {
    body: { integration_id: integration, version: 1, customer_id: customer, config: { TARGET: receiver.url } },
  });

  const first = startWorker();
  await first.waitFor("Hookline worker ready");
  const answered = await fetch(instance.body.flows[0]!.url, { method: "POST", body: "{}" });
  const { execution_id } = (await answered.json()) as { execution_id: string };
  // The flow is inside its fetch: the first worker holds the job. Kill it there.
  await receiver.waitFor(1);
  await first.stop("SIGKILL");

  const second = startWorker();
  await second.waitFor("Hookline worker ready");
  let last: unknown;
  const execution = await eventually(
    async () => {
      const found = await tenant.request<{ status: string; attempt: number; result: unknown }>("GET", `/v1/executions/${execution_id}`);
      last = found.body;
      return found.body.status === "succeeded" ? found.body : undefined;
    },
    // Generous: on a loaded machine a worker process (and its sandbox threads) take seconds to start from source.
    60_000,
    "the execution to succeed on the second worker",
  ).catch((error: Error) => {
    throw new Error(`${error.message}; last seen ${JSON.stringify(last)}; second worker said:\n${second.lines.slice(-15).join("\n")}`);
  });
  expect(execution).toMatchObject({ status: "succeeded", attempt: 2, result: { attempt: 2, status: 200 } });
  expect(receiver.requests.map((r) => r.path)).toEqual(["/attempt/1", "/attempt/2"]);
}, 150_000);
