import type { Redis } from "ioredis";

/**
 * A Redis that evicts keys under memory pressure can drop queued jobs without a trace. Only
 * `noeviction` is safe for a queue; workers refuse anything else unless explicitly overridden.
 */
export async function evictionPolicy(redis: Redis): Promise<string> {
  const info = await redis.info("memory");
  return /^maxmemory_policy:(\S+)/m.exec(info)?.[1] ?? "unknown";
}

export function isSafeEvictionPolicy(policy: string): boolean {
  return policy === "noeviction";
}
