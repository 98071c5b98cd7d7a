import { readFileSync } from "node:fs";
import { connectDatabase, createTenant, createWorkStore, findApiKeyForAuth, tenantScope, type Database } from "@hookline/db";
import { createTestDatabase, TEST_ENCRYPTION_KEY } from "@hookline/testing";

/**
 * What the hot statements cost Postgres when they go unnamed (DATABASE_POOLER=transaction) instead
 * of prepared by name, measured straight against Postgres so that only the statements differ:
 *
 *   node --conditions=hookline-source --import tsx bench/src/statement-cost.ts
 *
 * Each way gets a pool of one connection; each statement runs `count` times in a row, and the
 * connection's backend is charged its CPU from /proc (utime + stime). Ways are taken in turn,
 * three rounds, so that the tables' growth and the host's moods fall on each alike. Not part of
 * `npm run bench`.
 */

const ROUNDS = 3;
const DELIVERIES = 2_000;
const TICKS_PER_SECOND = 100; // USER_HZ, the unit of /proc/<pid>/stat on Linux

interface Way {
  readonly name: string;
  readonly db: Database;
}

/** One way's handles: its pool, a work store and a tenant scope on it. */
interface On {
  readonly db: Database;
  readonly store: ReturnType<typeof createWorkStore>;
  readonly scope: ReturnType<typeof tenantScope>;
}

function backendCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  // After the command: state is field 3, utime 14 and stime 15 (1-based), so 11 and 12 here.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

async function backendPid(db: Database): Promise<number> {
  const { rows } = await db.pool.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
  return rows[0]!.pid;
}

const database = await createTestDatabase();
const key = Buffer.from(TEST_ENCRYPTION_KEY, "base64");
const connect = (pooler: "none" | "transaction") => connectDatabase({ url: database.url, encryptionKey: key, poolMax: 1, pooler });
const setup = connect("none");
try {
  const { tenant } = await createTenant(setup, { name: "statement-cost" });
  const apiKey = await setup.prisma.apiKey.findFirstOrThrow({ where: { tenantId: tenant.id } });
  const scope = tenantScope(setup, tenant.id);
  const endpoint = await scope.endpoints.create({
    name: "e",
    url: "https://example.com/",
    secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    headers: {},
    timeoutSeconds: 5,
  });
  await scope.subscriptions.create({ endpointId: endpoint.id, eventTypes: ["cost.x"] });
  const deliveryIds: string[] = [];
  for (let i = 0; i < DELIVERIES; i += 500) {
    const published = await scope.events.publishBatch(
      Array.from({ length: 500 }, (_, j) => ({ eventType: "cost.x", data: { i: i + j } })),
      { idempotencyWindowMs: 1000 },
    );
    for (const p of published) if (p.outcome === "published") deliveryIds.push(...p.deliveries.map((d) => d.id));
  }
  await setup.pool.query("ANALYZE");

  const generic = connect("transaction");
  // What `ALTER ROLE … SET plan_cache_mode = force_generic_plan` would give behind the pooler.
  await generic.pool.query("SET plan_cache_mode = force_generic_plan");
  const ways: Way[] = [
    { name: "named, generic plan (today)", db: connect("none") },
    { name: "unnamed, plan mode auto", db: connect("transaction") },
    { name: "unnamed, generic plan", db: generic },
  ];

  // Each delivery stays pending, so it can take another attempt in the next statement.
  const attempts = new Map<string, number>();
  let cursor = 0;
  const someDeliveries = (n: number) => Array.from({ length: n }, () => deliveryIds[cursor++ % deliveryIds.length]!);
  const nextAttempts = (n: number) =>
    someDeliveries(n).map((id) => {
      const number = (attempts.get(id) ?? 0) + 1;
      attempts.set(id, number);
      return { id, number };
    });
  const recordGroup = async ({ store }: On, n: number) => {
    const now = new Date();
    const later = new Date(now.getTime() + 3_600_000);
    const results = await Promise.all(
      nextAttempts(n).map(({ id, number }) =>
        store.record(
          {
            deliveryId: id,
            attemptNumber: number,
            startedAt: now,
            durationMs: 12,
            statusCode: 500,
            responseBody: "no",
            lastError: "HTTP 500",
          },
          { status: "pending", nextAttemptAt: later },
          { kind: "none" },
          endpoint.id,
        ),
      ),
    );
    if (results.some((r) => !r.recorded)) throw new Error("an attempt was not recorded");
  };

  const statements: { name: string; count: number; run: (on: On) => Promise<unknown> }[] = [
    { name: "API key lookup (1 key)", count: 4_000, run: ({ db }) => findApiKeyForAuth(db, apiKey.id) },
    {
      name: "worker read (12 deliveries)",
      count: 1_000,
      run: ({ store }) => Promise.all(someDeliveries(12).map((id) => store.load(id))),
    },
    { name: "attempt record (1 row)", count: 2_000, run: (on) => recordGroup(on, 1) },
    { name: "attempt record (12 rows)", count: 600, run: (on) => recordGroup(on, 12) },
    {
      name: "publish (1 event, 1 delivery)",
      count: 1_500,
      run: ({ scope }) => scope.events.publishBatch([{ eventType: "cost.x", data: {} }], { idempotencyWindowMs: 1000 }),
    },
  ];

  const results = new Map<string, { cpu: number[]; wall: number[] }>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const way of ways) {
      const on: On = { db: way.db, store: createWorkStore(way.db, { maxBatch: 200 }), scope: tenantScope(way.db, tenant.id) };
      for (const statement of statements) {
        // Warm: the named way prepares on its first execution, the routing cache fills.
        for (let i = 0; i < 20; i++) await statement.run(on);
        const pid = await backendPid(way.db);
        const cpuBefore = backendCpuMs(pid);
        const started = process.hrtime.bigint();
        for (let i = 0; i < statement.count; i++) await statement.run(on);
        const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
        const cpuMs = backendCpuMs(pid) - cpuBefore;
        if ((await backendPid(way.db)) !== pid) throw new Error("the pool changed connections mid-measure");
        const key = `${statement.name}\t${way.name}`;
        const entry = results.get(key) ?? { cpu: [], wall: [] };
        entry.cpu.push((cpuMs * 1000) / statement.count);
        entry.wall.push((wallMs * 1000) / statement.count);
        results.set(key, entry);
      }
    }
  }
  process.stdout.write("statement\tway\tPostgres CPU µs per execution (rounds)\tclient wall µs per execution (rounds)\n");
  const show = (values: number[]) => values.map((v) => v.toFixed(0)).join(" / ");
  for (const [key, { cpu, wall }] of results) process.stdout.write(`${key}\t${show(cpu)}\t${show(wall)}\n`);
  await Promise.all(ways.map((way) => way.db.close()));
} finally {
  await setup.close();
  await database.drop();
}
