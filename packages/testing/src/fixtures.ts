import { connectDatabase, type Database } from "@hookline/db";
import { createRedis, DeliveryQueue } from "@hookline/queue";
import { TEST_ENCRYPTION_KEY } from "./config.js";
import { createTestDatabase, type TestDatabase } from "./postgres.js";
import { testQueuePrefix, TEST_REDIS_URL } from "./redis.js";

/** Reads a value that only exists between the file's beforeAll and afterAll. */
function whileOpen<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} is only available inside tests (after beforeAll)`);
  return value;
}

export interface DatabaseFixture {
  /** Connected to the file's own database, with the test encryption key. */
  readonly db: Database;
  readonly url: string;
}

/**
 * A database of this test file's own, connected in `beforeAll` and dropped in `afterAll`: call it
 * at the top of a file (or a describe block) and read `.db` inside the tests.
 */
export function useTestDatabase(options: { poolMax?: number } = {}): DatabaseFixture {
  let database: TestDatabase | undefined;
  let db: Database | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
    db = connectDatabase({ url: database.url, encryptionKey: Buffer.from(TEST_ENCRYPTION_KEY, "base64"), poolMax: options.poolMax ?? 4 });
  });
  afterAll(async () => {
    await db?.close();
    await database?.drop();
  });
  return {
    get db() {
      return whileOpen(db, "the test database");
    },
    get url() {
      return whileOpen(database, "the test database").url;
    },
  };
}

export interface QueueFixture {
  /** A producer on the file's own queue prefix. */
  readonly queue: DeliveryQueue;
  readonly prefix: string;
}

/** A delivery queue under a prefix of this test file's own; its keys are deleted in `afterAll`. */
export function useTestQueue(): QueueFixture {
  const prefix = testQueuePrefix();
  let queue: DeliveryQueue | undefined;
  let redis: ReturnType<typeof createRedis> | undefined;
  beforeAll(() => {
    redis = createRedis(TEST_REDIS_URL, "producer");
    queue = new DeliveryQueue(redis, prefix.prefix);
  });
  afterAll(async () => {
    await queue?.close();
    redis?.disconnect();
    await prefix.cleanup();
  });
  return {
    get queue() {
      return whileOpen(queue, "the test queue");
    },
    prefix: prefix.prefix,
  };
}
