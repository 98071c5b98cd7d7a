import { Redis, type RedisOptions } from "ioredis";

/**
 * Redis connections for BullMQ. Workers block on Redis, so their connection must retry commands
 * forever (maxRetriesPerRequest: null). Producers in the API must instead fail fast when Redis is
 * down, because Postgres already holds the work and a sweeper re-enqueues it.
 */
export function createRedis(url: string, role: "worker" | "producer", extra: RedisOptions = {}): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: role === "worker" ? null : 1,
    enableOfflineQueue: role === "worker",
    connectTimeout: 2_000,
    lazyConnect: false,
    ...extra,
  });
}
