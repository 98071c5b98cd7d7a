import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { createSecretCipher, type SecretCipher } from "@hookline/core";
import { PrismaClient } from "./generated/prisma/client.js";

export type { PrismaClient } from "./generated/prisma/client.js";

/**
 * One pg pool per process, shared by Prisma (through its driver adapter) and by the raw SQL that
 * hot paths use where Prisma's per-query cost matters.
 */
export interface Database {
  readonly prisma: PrismaClient;
  readonly pool: pg.Pool;
  /** Seals and opens the secrets stored in endpoint rows. */
  readonly secrets: SecretCipher;
  /** One round trip to Postgres (readiness probes). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  readonly url: string;
  /** The 32-byte ENCRYPTION_KEY. */
  readonly encryptionKey: Buffer;
  readonly poolMax?: number;
  readonly onPoolError?: (error: Error) => void;
}

/**
 * Every connection plans a parameterised statement once, without its values. With Postgres's
 * default (`auto`), a statement whose custom plan looks cheaper is planned again at every
 * execution: the hot path's prepared statements take arrays whose length is known only then, so
 * the API key and event type lookups were planned at every call and the publish and attempt
 * statements often (0.1–0.2 ms of planning each; docs/PERFORMANCE.md). Those statements are
 * written for one plan. Prisma's statements are unnamed, so each is still planned once for its one
 * execution, now without its values: they find rows by key or read an index in its order, where
 * the values do not choose the plan. Set by a statement rather than the `options` startup
 * parameter, which connection poolers such as PgBouncer refuse.
 */
const SESSION_SETUP = "SET plan_cache_mode = force_generic_plan";

export function connectDatabase(options: DatabaseOptions): Database {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolMax ?? 10,
    // Awaited by the pool before it hands the new connection out; a failure fails that checkout.
    onConnect: async (client) => {
      await client.query(SESSION_SETUP);
    },
  });
  // A client losing its connection (Postgres restarted) must not crash the process: the pool
  // only listens while a client is idle, so every client gets a listener of its own for the
  // moments it is checked out (by Prisma or by raw SQL) between queries.
  pool.on("error", (error) => options.onPoolError?.(error));
  pool.on("connect", (client) => client.on("error", (error) => options.onPoolError?.(error)));
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  let closed = false;
  return {
    prisma,
    pool,
    secrets: createSecretCipher(options.encryptionKey),
    async ping() {
      await pool.query("SELECT 1");
    },
    async close() {
      if (closed) return;
      closed = true;
      await prisma.$disconnect();
      await pool.end();
    },
  };
}
