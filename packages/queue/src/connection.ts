import { Cluster, Redis, type ClusterOptions, type RedisOptions } from "ioredis";

/**
 * Redis connections for BullMQ. Workers block on Redis, so their connection must retry commands
 * forever (maxRetriesPerRequest: null). Producers (the API, the sweeper) must instead give up
 * within a second when Redis is down, because Postgres already holds the work and the sweeper
 * enqueues it later: commands wait for a (re)connection at most `commandTimeout`.
 */
export const PRODUCER_COMMAND_TIMEOUT_MS = 1_000;

export interface RedisNode {
  readonly host: string;
  readonly port: number;
}

/**
 * Where the queue lives (the configuration's `redis`). In "cluster" and "sentinel" mode the URL
 * gives only the user, password and TLS (`rediss:`) of every data node.
 */
export type RedisTarget =
  | { readonly mode: "single"; readonly url: string }
  | { readonly mode: "cluster"; readonly url: string; readonly nodes: readonly RedisNode[] }
  | { readonly mode: "sentinel"; readonly url: string; readonly sentinels: readonly RedisNode[]; readonly name: string };

/** A connection to a single Redis (or a sentinel's primary) or to a Redis Cluster; both take the same commands. */
export type RedisClient = Redis | Cluster;

/** `probe`: one try at start (redisDependency): connects when asked, and never reconnects or retries. */
export type ConnectionRole = "worker" | "producer" | "probe";

function roleOptions(role: ConnectionRole): RedisOptions {
  if (role === "probe") {
    return {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      sentinelRetryStrategy: () => null,
      connectTimeout: 2_000,
    };
  }
  return {
    maxRetriesPerRequest: role === "worker" ? null : 1,
    ...(role === "producer" && { commandTimeout: PRODUCER_COMMAND_TIMEOUT_MS }),
    connectTimeout: 2_000,
  };
}

/** The user, password and TLS of a Redis URL, for the nodes of a cluster or a sentinel's primary. */
function credentials(url: string): RedisOptions {
  const parsed = new URL(url);
  return {
    ...(parsed.username !== "" && { username: decodeURIComponent(parsed.username) }),
    ...(parsed.password !== "" && { password: decodeURIComponent(parsed.password) }),
    ...(parsed.protocol === "rediss:" && { tls: {} }),
  };
}

/**
 * How a cluster connection rides out a failover. While a primary is down and before its replica
 * takes over (the cluster's node timeout plus an election: seconds), commands for its slots fail
 * with a closed connection or CLUSTERDOWN; ioredis retries them after these delays, refreshing the
 * slot map each time, until `maxRedirections` tries are spent. A worker's commands wait that out
 * (about 15 s, like a single Redis's reconnection); a producer's are bounded by its command timeout
 * and the scheduler's own deadline anyway.
 */
function clusterOptions(url: string, role: ConnectionRole): ClusterOptions {
  return {
    redisOptions: { ...credentials(url), ...roleOptions(role) },
    enableOfflineQueue: true,
    retryDelayOnFailover: 250,
    retryDelayOnClusterDown: 250,
    maxRedirections: role === "worker" ? 60 : 16,
    ...(role === "probe" && { lazyConnect: true, clusterRetryStrategy: () => null }),
  };
}

export function createRedis(url: string, role: ConnectionRole): Redis;
export function createRedis(target: RedisTarget, role: ConnectionRole): RedisClient;
export function createRedis(target: RedisTarget | string, role: ConnectionRole): RedisClient {
  const where: RedisTarget = typeof target === "string" ? { mode: "single", url: target } : target;
  switch (where.mode) {
    case "single":
      return new Redis(where.url, roleOptions(role));
    case "cluster":
      return new Cluster(
        where.nodes.map((node) => ({ host: node.host, port: node.port })),
        clusterOptions(where.url, role),
      );
    case "sentinel": {
      const auth = credentials(where.url);
      return new Redis({
        sentinels: where.sentinels.map((node) => ({ host: node.host, port: node.port })),
        name: where.name,
        ...auth,
        ...(auth.tls && { enableTLSForSentinelMode: true }),
        // Told by the sentinels of a new primary at once, instead of finding out from a dead connection.
        failoverDetector: true,
        ...roleOptions(role),
      });
    }
  }
}
