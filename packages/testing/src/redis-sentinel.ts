import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { redisProcesses } from "./redis-processes.js";
import { freePort, redisCli, redisCliAsync, UNUSED_REDIS_URL, waitUntil, type QueueRedis } from "./services.js";

/**
 * A primary watched by sentinels, of a test's own: one primary, `replicas` replicas and three
 * sentinels (quorum two), from the `redis-server` binary on free loopback ports, their files in a
 * temporary directory. A primary unreachable for a second is failed over.
 */
export interface RedisSentinels extends QueueRedis {
  /** The name the sentinels know the primary by. */
  readonly name: string;
  /** Port of the primary, as the sentinels see it now. */
  primary(): Promise<number>;
  /** `kill -9` of the server on that port; it stays dead. */
  kill(port: number): Promise<void>;
  /** Resolves with the new primary's port once the sentinels have promoted a replica in place of `from`. */
  waitForFailover(from: number, timeoutMs?: number): Promise<number>;
}

const NAME = "hookline";

/** `SENTINEL MASTER <name>`: its flat list of fields and values, as a map. */
async function sentinelView(port: number): Promise<Map<string, string>> {
  const lines = (await redisCliAsync(port, "sentinel", "master", NAME)).split("\n");
  const fields = new Map<string, string>();
  for (let i = 0; i + 1 < lines.length; i += 2) fields.set(lines[i] ?? "", lines[i + 1] ?? "");
  return fields;
}

export async function startRedisSentinels(options: { replicas?: number } = {}): Promise<RedisSentinels> {
  const replicas = options.replicas ?? 2;
  const servers = redisProcesses("hookline-redis-sentinel-");
  const { dir, run, kill, destroy } = servers;

  try {
    const data = await Promise.all(Array.from({ length: replicas + 1 }, () => freePort()));
    const [primaryPort = 0] = data;
    for (const port of data) {
      run(port, [
        ...["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--logfile", join(dir, `${port}.log`)],
        ...["--save", "", "--appendonly", "no", "--maxmemory-policy", "noeviction"],
        ...(port === primaryPort ? [] : ["--replicaof", "127.0.0.1", String(primaryPort)]),
      ]);
    }
    await Promise.all(
      data.map((port) => waitUntil(async () => (await redisCliAsync(port, "ping")) === "PONG", 10_000, `redis-server ${port}'s start`)),
    );

    const sentinels = await Promise.all(Array.from({ length: 3 }, () => freePort()));
    for (const port of sentinels) {
      // A sentinel rewrites its configuration file, so each has one of its own.
      const file = join(dir, `sentinel-${port}.conf`);
      writeFileSync(
        file,
        [
          `port ${port}`,
          "bind 127.0.0.1",
          `dir ${dir}`,
          `logfile ${join(dir, `sentinel-${port}.log`)}`,
          `sentinel monitor ${NAME} 127.0.0.1 ${primaryPort} 2`,
          `sentinel down-after-milliseconds ${NAME} 1000`,
          `sentinel failover-timeout ${NAME} 10000`,
          `sentinel parallel-syncs ${NAME} ${replicas}`,
          "",
        ].join("\n"),
      );
      run(port, [file, "--sentinel"]);
    }
    // Every sentinel knows the others and every replica, and every replica has its copy.
    await waitUntil(
      async () => {
        const views = await Promise.all(sentinels.map(sentinelView));
        const replication = await Promise.all(data.slice(1).map((port) => redisCliAsync(port, "info", "replication")));
        return (
          views.every((view) => view.get("num-other-sentinels") === "2" && view.get("num-slaves") === String(replicas)) &&
          replication.every((info) => info.includes("master_link_status:up"))
        );
      },
      30_000,
      "the sentinels' agreement",
    );

    const primary = async () => {
      for (const port of sentinels) {
        const [, found] = (await redisCliAsync(port, "sentinel", "get-master-addr-by-name", NAME)).split("\n");
        if (found) return Number(found);
      }
      throw new Error("no sentinel names a primary");
    };

    return {
      name: NAME,
      env: {
        REDIS_SENTINELS: sentinels.map((port) => `127.0.0.1:${port}`).join(","),
        REDIS_SENTINEL_NAME: NAME,
        // Its host is unused with sentinels; a closed port makes a process that ignored them fail.
        REDIS_URL: UNUSED_REDIS_URL,
      },
      keys: (pattern) => {
        const [, port] = redisCli(sentinels[0] ?? 0, "sentinel", "get-master-addr-by-name", NAME).split("\n");
        return redisCli(Number(port), "--scan", "--pattern", pattern).split("\n").filter(Boolean);
      },
      primary,
      kill,
      async waitForFailover(from, timeoutMs = 30_000) {
        let now = from;
        await waitUntil(
          async () => {
            now = await primary();
            return now !== from && (await redisCliAsync(now, "info", "replication")).includes("role:master");
          },
          timeoutMs,
          "the sentinels' failover",
        );
        return now;
      },
      destroy,
    };
  } catch (error) {
    await destroy();
    throw error;
  }
}
