import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { createSecretCipher, type SecretCipher } from "@hookline/core";
import { PrismaClient } from "./generated/prisma/client.js";
import { nameNoStatements } from "./prepared.js";

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
  /**
   * `transaction`: `url` is a pooler in transaction mode, which lends a server connection for one
   * transaction at a time. No statement is prepared by name and no session setting is made, since
   * either would stay on a server connection other clients get next. Default `none`.
   */
  readonly pooler?: "none" | "transaction";
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
 * parameter, which connection poolers such as PgBouncer refuse. Not set behind a transaction
 * pooler: there every statement is unnamed, so planned at each execution whatever the mode, and a
 * session's setting would land on whichever server connection served it (an operator who wants
 * the mode anyway sets it on the role or the database: docs/DECISIONS.md).
 */
const SESSION_SETUP = "SET plan_cache_mode = force_generic_plan";

export function connectDatabase(options: DatabaseOptions): Database {
  const behindTransactionPooler = options.pooler === "transaction";
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolMax ?? 10,
    // Awaited by the pool before it hands the new connection out; a failure fails that checkout.
    ...(!behindTransactionPooler && {
      onConnect: async (client: pg.ClientBase) => {
        await client.query(SESSION_SETUP);
      },
    }),
  });
  if (behindTransactionPooler) nameNoStatements(pool);
  // A client losing its connection (Postgres restarted) must not crash the process: the pool
  // only listens while a client is idle, so every client gets a listener of its own for the
  // moments it is checked out (by Prisma or by raw SQL) between queries.
  pool.on("error", (error) => options.onPoolError?.(error));
  pool.on("connect", (client) => client.on("error", (error) => options.onPoolError?.(error)));
  // Without a `statementNameGenerator` the adapter names none of Prisma's statements, so they pass
  // through a transaction pooler as they are.
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
