import type { EnvReader } from "./env-parsers.js";

export const DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";
export const DEFAULT_SENTINEL_NAME = "mymaster";

export interface RedisNode {
  readonly host: string;
  readonly port: number;
}

/**
 * Where the queue lives. `url` is REDIS_URL in every mode: the one Redis in "single" mode; in
 * "cluster" and "sentinel" mode only its user, password and scheme (`rediss:` for TLS) are used,
 * for every data node, so that credentials are written in one place whatever the topology.
 */
export type RedisSettings =
  | { readonly mode: "single"; readonly url: string }
  | { readonly mode: "cluster"; readonly url: string; readonly nodes: readonly RedisNode[] }
  | { readonly mode: "sentinel"; readonly url: string; readonly sentinels: readonly RedisNode[]; readonly name: string };

const HOST_PORT = /^(?:\[([^\]]+)\]|([^:\s[\]]+)):(\d{1,5})$/;

/** A comma-separated list of `host:port` (`[v6]:port` for IPv6); undefined when unset. */
function nodeList(read: EnvReader, name: string): RedisNode[] | undefined {
  const entries = read.list(name);
  if (entries.length === 0) return undefined;
  const nodes: RedisNode[] = [];
  for (const entry of entries) {
    const match = HOST_PORT.exec(entry);
    const port = Number(match?.[3]);
    if (!match || port < 1 || port > 65535) {
      read.problems.push(`${name} must be a comma-separated list of host:port (got "${entry}")`);
      continue;
    }
    nodes.push({ host: match[1] ?? match[2] ?? "", port });
  }
  return nodes;
}

/** REDIS_URL, REDIS_CLUSTER_NODES, REDIS_SENTINELS and REDIS_SENTINEL_NAME: at most one topology. */
export function redisSettings(read: EnvReader): RedisSettings {
  const url = read.url("REDIS_URL", DEFAULT_REDIS_URL, ["redis:", "rediss:"]);
  const nodes = nodeList(read, "REDIS_CLUSTER_NODES");
  const sentinels = nodeList(read, "REDIS_SENTINELS");
  const name = read.string("REDIS_SENTINEL_NAME", DEFAULT_SENTINEL_NAME);
  if (nodes && sentinels) {
    read.problems.push("REDIS_CLUSTER_NODES and REDIS_SENTINELS cannot both be set: a Redis is either a cluster or watched by sentinels");
  }
  if (nodes) {
    // A cluster has database 0 only: a database in the URL would be silently ignored.
    if (!/^\/?0?$/.test(new URL(url).pathname)) read.problems.push("REDIS_URL must not name a database when REDIS_CLUSTER_NODES is set");
    return { mode: "cluster", url, nodes };
  }
  if (sentinels) return { mode: "sentinel", url, sentinels, name };
  return { mode: "single", url };
}

/**
 * QUEUE_PREFIX as the keys use it. On a cluster, BullMQ's scripts touch several keys of a queue at
 * once, which must share a hash slot: the prefix becomes a hash tag (`hookline` → `{hookline}`)
 * unless it holds one already. A single Redis or a sentinel's primary keeps the prefix as written,
 * so that an installation's existing keys stay where they are.
 */
export function queuePrefix(read: EnvReader, redis: RedisSettings): string {
  const prefix = read.string("QUEUE_PREFIX", "hookline");
  if (redis.mode !== "cluster" || hasHashTag(prefix)) return prefix;
  return `{${prefix}}`;
}

/** Redis's rule: the text between the first `{` and the first `}` after it, if not empty. */
function hasHashTag(prefix: string): boolean {
  const open = prefix.indexOf("{");
  return open >= 0 && prefix.indexOf("}", open + 1) > open + 1;
}
