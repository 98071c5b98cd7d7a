import { Redis, type RedisOptions } from "ioredis";

/**
 * Redis connections for BullMQ. Workers block on Redis, so their connection must retry commands
 * forever (maxRetriesPerRequest: null). Producers (the API, the sweeper) must instead give up
 * within a second when Redis is down, because Postgres already holds the work and the sweeper
 * enqueues it later: commands wait for a (re)connection at most `commandTimeout`.
 */
export const PRODUCER_COMMAND_TIMEOUT_MS = 1_000;

export function createRedis(url: string, role: "worker" | "producer", extra: RedisOptions = {}): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: role === "worker" ? null : 1,
    ...(role === "producer" && { commandTimeout: PRODUCER_COMMAND_TIMEOUT_MS }),
    connectTimeout: 2_000,
    ...extra,
  });
}
