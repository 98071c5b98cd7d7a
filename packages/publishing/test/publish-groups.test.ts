import { createLogger } from "@hookline/core";
import { createTenant, tenantScope, type NewEvent, type PublishResult, type TenantScope } from "@hookline/db";
import { useTestDatabase, useTestRedis } from "@hookline/testing";
import { JobQueues, QUEUES, Scheduler } from "@hookline/queue";
import { publishGroups } from "../src/publish-groups.js";

/** Group commit of single-event publishes: many callers, one statement, each its own answer. */
const database = useTestDatabase();
const redis = useTestRedis();
const queueFixture = {} as { queues: JobQueues; scheduler: Scheduler };
beforeAll(() => {
  queueFixture.queues = new JobQueues(redis.redis, redis.prefix);
  queueFixture.scheduler = new Scheduler({ queues: queueFixture.queues, logger: createLogger({ level: "silent", name: "test" }) });
});
afterAll(() => queueFixture.queues.close());

/** A tenant with one endpoint subscribed to `<name>.*`; its scope counts the statements it is asked for. */
async function tenantWithEndpoint(name: string) {
  const { tenant } = await createTenant(database.db, { name });
  const real = tenantScope(database.db, tenant.id);
  const endpoint = await real.endpoints.create({
    name: "e",
    url: `https://${name}.com/`,
    secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    headers: {},
    timeoutSeconds: 5,
  });
  await real.subscriptions.create({ endpointId: endpoint.id, eventTypes: [`${name}.*`] });
  const batches: number[] = [];
  const failWhen = { eventType: "", unreachable: false };
  const scope: TenantScope = {
    ...real,
    events: {
      ...real.events,
      publishBatch(inputs: readonly NewEvent[], options) {
        batches.push(inputs.length);
        // Stands in for a statement the database refuses because of one event in it.
        if (failWhen.unreachable)
          return Promise.reject(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }));
        if (inputs.some((input) => input.eventType === failWhen.eventType))
          return Promise.reject(new Error(`refused ${failWhen.eventType}`));
        return real.events.publishBatch(inputs, options);
      },
    },
  };
  return { tenantId: tenant.id, scope, batches, failWhen };
}

const publisher = () => {
  const publish = publishGroups({
    scheduler: queueFixture.scheduler,
    idempotencyWindowMs: 60_000,
    maxConcurrent: 1,
  });
  return (scope: TenantScope, input: NewEvent) => publish(scope, input, { attemptsSynchronousItself: true });
};

const publishedId = (result: PublishResult) => {
  if (result.outcome !== "published") throw new Error(`expected a new event, got ${result.outcome}`);
  return result.event.id;
};

describe("publishing single events in groups", () => {
  it("writes concurrent publishes of several tenants with one statement per tenant, each answered with its own event", async () => {
    const publish = publisher();
    const a = await tenantWithEndpoint("ga");
    const b = await tenantWithEndpoint("gb");
    const calls = Array.from({ length: 30 }, (_, i) => {
      const tenant = i % 3 === 0 ? b : a;
      const eventType = i % 3 === 0 ? "gb.x" : "ga.x";
      return publish(tenant.scope, { eventType, data: { i } }).then((result) => ({ i, tenant, result }));
    });
    const answers = await Promise.all(calls);

    expect(a.batches).toEqual([20]);
    expect(b.batches).toEqual([10]);
    for (const { i, tenant, result } of answers) {
      const stored = await database.db.prisma.event.findUniqueOrThrow({
        where: { id: publishedId(result) },
        include: { deliveries: true },
      });
      expect(stored.tenantId).toBe(tenant.tenantId);
      expect(stored.data).toEqual({ i });
      expect(stored.deliveries).toHaveLength(1);
      expect(result.outcome === "published" && result.deliveries.map((d) => d.id)).toEqual([stored.deliveries[0]!.id]);
      // Enqueued before the caller is answered, like a publish of its own.
      expect(await queueFixture.queues.queue(QUEUES.deliveries).getJobState(stored.deliveries[0]!.id)).toBe("waiting");
    }
  });

  it("answers a key repeated within a group with the first event, and writes one event for it", async () => {
    const publish = publisher();
    const t = await tenantWithEndpoint("gk");
    const answers = await Promise.all([
      publish(t.scope, { eventType: "gk.x", data: { n: 1 }, idempotencyKey: "same" }),
      publish(t.scope, { eventType: "gk.x", data: { n: 2 } }),
      publish(t.scope, { eventType: "gk.x", data: { n: 3 }, idempotencyKey: "same" }),
      publish(t.scope, { eventType: "gk.x", data: { n: 4 }, idempotencyKey: "other" }),
      publish(t.scope, { eventType: "gk.x", data: { n: 5 }, idempotencyKey: "same" }),
    ]);

    const keyed = [answers[0]!, answers[2]!, answers[4]!];
    expect(keyed.filter((r) => r.outcome === "published")).toHaveLength(1);
    expect(new Set(keyed.map((r) => r.event.id)).size).toBe(1);
    expect(keyed.filter((r) => r.outcome === "duplicate").map((r) => r.outcome === "duplicate" && r.deliveryCount)).toEqual([1, 1]);
    expect(await database.db.prisma.event.count({ where: { tenantId: t.tenantId } })).toBe(3);
    // The repeated key split the group: no statement carried the key twice.
    expect(t.batches.length).toBeGreaterThan(1);
  });

  it("fails only the event that fails alone when a group's statement is refused", async () => {
    const publish = publisher();
    const t = await tenantWithEndpoint("gf");
    t.failWhen.eventType = "gf.poison";
    const outcomes = await Promise.allSettled(
      ["gf.a", "gf.poison", "gf.b", "gf.c"].map((eventType) => publish(t.scope, { eventType, data: {} })),
    );

    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "fulfilled", "fulfilled"]);
    expect(t.batches).toEqual([4, 1, 1, 1, 1]);
    const types = await database.db.prisma.event.findMany({
      where: { tenantId: t.tenantId },
      select: { eventType: true },
      orderBy: { eventType: "asc" },
    });
    expect(types.map((e) => e.eventType)).toEqual(["gf.a", "gf.b", "gf.c"]);
  });

  it("answers a whole group at once when the database is unreachable, without trying each event again", async () => {
    const publish = publisher();
    const t = await tenantWithEndpoint("gu");
    t.failWhen.unreachable = true;
    const outcomes = await Promise.allSettled(["gu.a", "gu.b", "gu.c"].map((eventType) => publish(t.scope, { eventType, data: {} })));

    expect(outcomes.map((o) => o.status)).toEqual(["rejected", "rejected", "rejected"]);
    expect(outcomes.map((o) => o.status === "rejected" && (o.reason as { code?: string }).code)).toEqual([
      "ECONNREFUSED",
      "ECONNREFUSED",
      "ECONNREFUSED",
    ]);
    expect(t.batches).toEqual([3]);
  });

  it("publishes a lone event without waiting for company", async () => {
    const publish = publisher();
    const t = await tenantWithEndpoint("gl");
    const result = await publish(t.scope, { eventType: "gl.x", data: {} });
    expect(t.batches).toEqual([1]);
    expect(result.outcome).toBe("published");
  });
});
