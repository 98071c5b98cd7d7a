import { Cluster, type Redis } from "ioredis";
import type { RedisClient } from "./connection.js";

// A Redis that evicts keys under memory pressure can drop queued jobs without a trace. Only
// `noeviction` is safe for a queue; workers refuse anything else unless explicitly overridden.

export interface NodePolicy {
  /** `host:port` of the node. */
  readonly node: string;
  readonly policy: string;
}

async function policyOf(redis: Redis): Promise<string> {
  const info = await redis.info("memory");
  return /^maxmemory_policy:(\S+)/m.exec(info)?.[1] ?? "unknown";
}

/**
 * The eviction policy of every primary: the one Redis, or each primary of a cluster (each node has
 * its own configuration, and the queue's slot may be on any). The client holds connections to the
 * primaries only; replicas, which become primaries in a failover, must be configured alike.
 */
export async function evictionPolicies(redis: RedisClient): Promise<NodePolicy[]> {
  const nodes = redis instanceof Cluster ? redis.nodes("master") : [redis];
  return Promise.all(nodes.map(async (node) => ({ node: `${node.options.host}:${node.options.port}`, policy: await policyOf(node) })));
}

export function isSafeEvictionPolicy(policy: string): boolean {
  return policy === "noeviction";
}
