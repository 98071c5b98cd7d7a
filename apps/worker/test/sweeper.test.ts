import { createLogger, newId } from "@hookline/core";
import { createTenant, insertFlowExecution, tenantScope } from "@hookline/db";
import { JobQueues, QUEUES, Scheduler } from "@hookline/queue";
import { useTestDatabase, useTestRedis } from "@hookline/testing";
import { startSweeper } from "../src/sweeper.js";

const database = useTestDatabase({ poolMax: 6 });
const redis = useTestRedis();
const queueFixture = {} as { queues: JobQueues; scheduler: Scheduler };
beforeAll(() => {
  queueFixture.queues = new JobQueues(redis.redis, redis.prefix);
  queueFixture.scheduler = new Scheduler({ queues: queueFixture.queues, logger: createLogger({ level: "silent", name: "test" }) });
});
afterAll(() => queueFixture.queues.close());
const logger = createLogger({ level: "silent", name: "sweeper-test" });

/** Commits `count` due deliveries without enqueueing them, as if the enqueue after commit failed. */
async function dueWithoutJobs(count: number): Promise<string[]> {
  const { tenant } = await createTenant(database.db, { name: "sweep" });
  const scope = tenantScope(database.db, tenant.id);
  const endpoint = await scope.endpoints.create({
    name: "e",
    url: "http://127.0.0.1:9/",
    secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    headers: {},
    timeoutSeconds: 1,
  });
  await scope.subscriptions.create({ endpointId: endpoint.id, eventTypes: ["sweep.me"] });
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const result = await scope.events.publish({ eventType: "sweep.me", data: { i } }, { idempotencyWindowMs: 60_000 });
    if (result.outcome === "published") ids.push(...result.deliveries.map((d) => d.id));
  }
  return ids;
}

describe("the sweeper", () => {
  it("enqueues due deliveries that have no job, once each, even with several sweepers at once", async () => {
    const ids = await dueWithoutJobs(30);
    const sweepers = [1, 2, 3].map(() =>
      startSweeper(
        { db: database.db, queues: queueFixture.queues, scheduler: queueFixture.scheduler, logger },
        { intervalMs: 3_600_000, graceMs: 0, batchSize: 7 },
      ),
    );
    const counts = await Promise.all(sweepers.map((s) => s.sweepOnce()));
    await Promise.all(sweepers.map((s) => s.stop()));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(30);
    const jobs = await queueFixture.queues.queue(QUEUES.deliveries).getJobs(["waiting", "delayed", "active"]);
    expect(jobs.map((j) => j.id).sort()).toEqual([...ids].sort());
  });

  it("leaves deliveries alone that still have a job, or are not yet past the grace period", async () => {
    const sweeper = startSweeper(
      { db: database.db, queues: queueFixture.queues, scheduler: queueFixture.scheduler, logger },
      { intervalMs: 3_600_000, graceMs: 0 },
    );
    expect(await sweeper.sweepOnce()).toBe(0);
    await dueWithoutJobs(3);
    const patient = startSweeper(
      { db: database.db, queues: queueFixture.queues, scheduler: queueFixture.scheduler, logger },
      { intervalMs: 3_600_000, graceMs: 60_000 },
    );
    expect(await patient.sweepOnce()).toBe(0);
    expect(await sweeper.sweepOnce()).toBe(3);
    await Promise.all([sweeper.stop(), patient.stop()]);
  });

  it("releases held deliveries of an active endpoint that a resume missed, and only those", async () => {
    const held = async (name: string) => {
      const { tenant } = await createTenant(database.db, { name });
      const scope = tenantScope(database.db, tenant.id);
      const endpoint = await scope.endpoints.create({
        name: "e",
        url: "http://127.0.0.1:9/",
        secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        headers: {},
        timeoutSeconds: 1,
      });
      await scope.subscriptions.create({ endpointId: endpoint.id, eventTypes: [`${name}.x`] });
      await scope.endpoints.update(endpoint.id, { status: "PAUSED" });
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const result = await scope.events.publish({ eventType: `${name}.x`, data: { i } }, { idempotencyWindowMs: 60_000 });
        if (result.outcome === "published") ids.push(...result.deliveries.map((d) => d.id));
      }
      return { endpoint, ids };
    };
    const stranded = await held("stranded");
    const paused = await held("paused");
    // A resume that died before releasing: the endpoint is active, its deliveries still held.
    await database.db.pool.query("UPDATE endpoints SET status = 'ACTIVE', paused_at = NULL WHERE id = $1", [stranded.endpoint.id]);
    const statuses = async (ids: string[]) =>
      (await database.db.pool.query<{ status: string }>("SELECT status FROM deliveries WHERE id = ANY($1) ORDER BY seq", [ids])).rows.map(
        (r) => r.status,
      );

    const patient = startSweeper(
      { db: database.db, queues: queueFixture.queues, scheduler: queueFixture.scheduler, logger },
      { intervalMs: 3_600_000, graceMs: 60_000 },
    );
    await patient.sweepOnce();
    expect(await statuses(stranded.ids)).toEqual(["held", "held", "held"]);

    const sweeper = startSweeper(
      { db: database.db, queues: queueFixture.queues, scheduler: queueFixture.scheduler, logger },
      { intervalMs: 3_600_000, graceMs: 0, batchSize: 2 },
    );
    await sweeper.sweepOnce();
    await Promise.all([sweeper.stop(), patient.stop()]);
    expect(await statuses(stranded.ids)).toEqual(["pending", "pending", "pending"]);
    expect(await statuses(paused.ids)).toEqual(["held", "held", "held"]);
    const jobIds = (await queueFixture.queues.queue(QUEUES.deliveries).getJobs(["waiting", "delayed", "active"])).map((j) => j.id);
    expect(jobIds).toEqual(expect.arrayContaining(stranded.ids));
    for (const id of paused.ids) expect(jobIds).not.toContain(id);
  });
});

describe("the sweeper and flow executions", () => {
  it("enqueues a stored trigger call whose job is missing (at least once), and leaves alone one whose job exists", async () => {
    const { tenant } = await createTenant(database.db, { name: "flows" });
    const scope = tenantScope(database.db, tenant.id);
    const customer = await scope.customers.create({ name: "c", externalId: "c-1" });
    if (customer === "external_id_taken") throw new Error("taken");
    const integration = await scope.integrations.create({
      name: "i",
      flows: [{ name: "only", source: "x", compiled: "export default async () => 1;", security: { type: "none" } }],
      endpointConfig: { type: "instance_and_flow" },
    });
    await scope.integrations.publish(integration.id);
    const instance = await scope.instances.deploy({
      integrationId: integration.id,
      version: 1,
      customerId: customer.id,
      config: {},
      apiKeys: {},
    });
    if ("outcome" in instance) throw new Error(instance.outcome);
    const stored = (id: string) =>
      insertFlowExecution(database.db, {
        id,
        tenantId: tenant.id,
        integrationId: integration.id,
        instanceId: instance.id,
        customerId: customer.id,
        version: 1,
        flowName: "only",
        triggerKind: "instance_flow",
        isTest: false,
        status: "queued",
        method: "POST",
        requestHeaders: {},
        body: "{}",
        bodySize: 2,
        answerStatus: 200,
        preprocess: null,
        error: null,
      });
    const [lost, kept] = [newId("execution"), newId("execution")];
    await stored(lost);
    await stored(kept);
    await queueFixture.scheduler.flowsDue([kept]);

    const sweeper = startSweeper(
      { db: database.db, queues: queueFixture.queues, scheduler: queueFixture.scheduler, logger },
      { intervalMs: 3_600_000, graceMs: 0 },
    );
    await sweeper.sweepOnce();
    await sweeper.stop();
    const jobs = await queueFixture.queues.queue(QUEUES.flows).getJobs(["waiting", "delayed", "active"]);
    expect(jobs.map((j) => j.id).sort()).toEqual([lost, kept].sort());
  });
});
