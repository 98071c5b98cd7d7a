import { readFileSync } from "node:fs";
import { connectDatabase, createTenant, createWorkStore, findApiKeyForAuth, tenantScope, type Database } from "@hookline/db";
import { createTestDatabase, TEST_ENCRYPTION_KEY, type TestDatabase } from "@hookline/testing";

/**
 * What the hot statements cost Postgres one way or another, measured straight against Postgres so
 * that only the ways differ:
 *
 *   node --conditions=hookline-source --import tsx bench/src/statement-cost.ts [pooler|delivery-key]
 *
 * - `pooler` (the default): statements unnamed (DATABASE_POOLER=transaction) instead of prepared
 *   by name, on one database.
 * - `delivery-key`: the schema as it is, where attempts reference their delivery by
 *   (delivery_id, delivery_created_at) through a unique index on deliveries (id, created_at),
 *   against a database put back to the key before it (delivery_id alone, no such index).
 *
 * Each way gets a pool of one connection; each statement runs `count` times in a row, and the
 * connection's backend is charged its CPU from /proc (utime + stime). Ways are taken in turn,
 * three rounds, so that the tables' growth and the host's moods fall on each alike. Not part of
 * `npm run bench`.
 */

const ROUNDS = 3;
const DELIVERIES = 2_000;
const TICKS_PER_SECOND = 100; // USER_HZ, the unit of /proc/<pid>/stat on Linux

/** One way's handles: its pool, its database's fixture, a work store and a tenant scope on it. */
interface On {
  readonly db: Database;
  readonly fixture: Fixture;
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

const MODE = process.argv[2] ?? "pooler";
if (MODE !== "pooler" && MODE !== "delivery-key") throw new Error(`unknown comparison "${MODE}": pooler or delivery-key`);
const key = Buffer.from(TEST_ENCRYPTION_KEY, "base64");
const connect = (database: TestDatabase, pooler: "none" | "transaction" = "none") =>
  connectDatabase({ url: database.url, encryptionKey: key, poolMax: 1, pooler });

/** The attempts' key to their delivery before it included the partition key (the migration undone). */
const KEY_BEFORE = `
  ALTER TABLE attempts DROP CONSTRAINT attempts_delivery_id_delivery_created_at_fkey;
  DROP INDEX deliveries_id_created_at_key;
  ALTER TABLE attempts ADD CONSTRAINT attempts_delivery_id_fkey
    FOREIGN KEY (delivery_id) REFERENCES deliveries(id) ON DELETE CASCADE ON UPDATE CASCADE;`;

/** A tenant with an endpoint subscribed to `cost.x`, and DELIVERIES pending deliveries to it. */
async function fixture(db: Database) {
  const { tenant } = await createTenant(db, { name: "statement-cost" });
  const apiKey = await db.prisma.apiKey.findFirstOrThrow({ where: { tenantId: tenant.id } });
  const scope = tenantScope(db, tenant.id);
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
  await db.pool.query("ANALYZE");
  // Each delivery stays pending, so it can take another attempt in the next statement; the ways
  // on one database share the count of each delivery's attempts.
  return { tenantId: tenant.id, apiKeyId: apiKey.id, endpointId: endpoint.id, deliveryIds, attempts: new Map<string, number>(), cursor: 0 };
}
type Fixture = Awaited<ReturnType<typeof fixture>>;

interface Way {
  readonly name: string;
  readonly db: Database;
  readonly fixture: Fixture;
}

const databases: TestDatabase[] = [];
const ways: Way[] = [];
const setups: Database[] = [];
try {
  const prepared = async (alter?: string) => {
    const database = await createTestDatabase();
    databases.push(database);
    const setup = connect(database);
    setups.push(setup);
    if (alter) await setup.pool.query(alter);
    return { database, fixture: await fixture(setup) };
  };
  const way = (name: string, db: Database, fixture: Fixture): Way => ({ name, db, fixture });
  if (MODE === "pooler") {
    const { database, fixture } = await prepared();
    const generic = connect(database, "transaction");
    // What `ALTER ROLE … SET plan_cache_mode = force_generic_plan` would give behind the pooler.
    await generic.pool.query("SET plan_cache_mode = force_generic_plan");
    ways.push(
      way("named, generic plan (today)", connect(database), fixture),
      way("unnamed, plan mode auto", connect(database, "transaction"), fixture),
      way("unnamed, generic plan", generic, fixture),
    );
  } else {
    const [now, before] = [await prepared(), await prepared(KEY_BEFORE)];
    ways.push(
      way("key (delivery_id, delivery_created_at), index deliveries (id, created_at) (today)", connect(now.database), now.fixture),
      way("key delivery_id alone, no such index", connect(before.database), before.fixture),
    );
  }

  const someDeliveries = ({ fixture }: On, n: number) =>
    Array.from({ length: n }, () => fixture.deliveryIds[fixture.cursor++ % fixture.deliveryIds.length]!);
  const nextAttempts = (on: On, n: number) =>
    someDeliveries(on, n).map((id) => {
      const number = (on.fixture.attempts.get(id) ?? 0) + 1;
      on.fixture.attempts.set(id, number);
      return { id, number };
    });
  const recordGroup = async (on: On, n: number) => {
    const now = new Date();
    const later = new Date(now.getTime() + 3_600_000);
    const results = await Promise.all(
      nextAttempts(on, n).map(({ id, number }) =>
        on.store.record(
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
          on.fixture.endpointId,
        ),
      ),
    );
    if (results.some((r) => !r.recorded)) throw new Error("an attempt was not recorded");
  };

  const statements: { name: string; count: number; run: (on: On) => Promise<unknown> }[] = [
    { name: "API key lookup (1 key)", count: 4_000, run: ({ db, fixture }) => findApiKeyForAuth(db, fixture.apiKeyId) },
    {
      name: "worker read (12 deliveries)",
      count: 1_000,
      run: (on) => Promise.all(someDeliveries(on, 12).map((id) => on.store.load(id))),
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
      const on: On = {
        db: way.db,
        fixture: way.fixture,
        store: createWorkStore(way.db, { maxBatch: 200 }),
        scope: tenantScope(way.db, way.fixture.tenantId),
      };
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
} finally {
  await Promise.all([...ways.map((way) => way.db.close()), ...setups.map((db) => db.close())]);
  await Promise.all(databases.map((database) => database.drop()));
}
