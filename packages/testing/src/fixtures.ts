import { connectDatabase, type Database } from "@hookline/db";
import { Redis } from "ioredis";
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

export interface RedisFixture {
  /**
   * A producer connection to the test Redis (commands give up after a second, as the API's do).
   * Build the queues on it under `prefix`: `new JobQueues(fixture.redis, fixture.prefix)`.
   */
  readonly redis: Redis;
  /** A queue prefix of this test file's own; its keys are deleted in `afterAll`. */
  readonly prefix: string;
}

/**
 * Redis for one test file: a connection, and a queue prefix of its own whose keys are deleted
 * in `afterAll`. (The queues themselves are @hookline/queue's, which tests here too.)
 */
export function useTestRedis(): RedisFixture {
  const prefix = testQueuePrefix();
  let redis: Redis | undefined;
  beforeAll(() => {
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1, commandTimeout: 1_000, connectTimeout: 2_000 });
  });
  afterAll(async () => {
    redis?.disconnect();
    await prefix.cleanup();
  });
  return {
    get redis() {
      return whileOpen(redis, "the test Redis");
    },
    prefix: prefix.prefix,
  };
}
