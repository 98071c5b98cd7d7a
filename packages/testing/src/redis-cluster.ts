import { spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { redisProcesses } from "./redis-processes.js";
import { freePort, redisCli, redisCliAsync, UNUSED_REDIS_URL, waitUntil, type QueueRedis } from "./services.js";

/**
 * A Redis Cluster of a test's own: `primaries` primaries with one replica each, from the
 * `redis-server` binary on free loopback ports, its files in a temporary directory. Short node
 * timeout, so that a killed primary's replica takes over within a few seconds.
 */
export interface RedisCluster extends QueueRedis {
  /** Ports of every node, primaries and replicas. */
  readonly ports: readonly number[];
  /** Port of the primary now serving the slot of `key` (a key or a `{hash tag}`). */
  primaryOf(key: string): Promise<number>;
  /** `kill -9` of the node on that port; it stays dead. */
  kill(port: number): Promise<void>;
  /** Resolves once another primary serves the slot of `key` and the cluster is whole again (state ok). */
  waitForFailover(key: string, from: number, timeoutMs?: number): Promise<number>;
}

export interface RedisClusterOptions {
  readonly primaries?: number;
  /** How long a node may be unreachable before the others count it as failed. */
  readonly nodeTimeoutMs?: number;
}

interface ClusterNode {
  readonly port: number;
  readonly primary: boolean;
  readonly failed: boolean;
  /** Slot ranges served, as [first, last]. */
  readonly slots: readonly (readonly [number, number])[];
}

/** `CLUSTER NODES` as one node sees the cluster. */
async function clusterNodes(askPort: number): Promise<ClusterNode[]> {
  return (await redisCliAsync(askPort, "cluster", "nodes"))
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const [, address = "", flags = "", , , , , , ...slots] = line.split(" ");
      return {
        port: Number(/:(\d+)@/.exec(address)?.[1]),
        primary: flags.split(",").includes("master"),
        failed: flags.split(",").some((flag) => flag === "fail" || flag === "fail?"),
        slots: slots
          .filter((range) => /^\d+(-\d+)?$/.test(range))
          .map((range) => {
            const [first, last = first] = range.split("-").map(Number);
            return [first ?? 0, last ?? 0] as const;
          }),
      };
    });
}

export async function startRedisCluster(options: RedisClusterOptions = {}): Promise<RedisCluster> {
  const primaries = options.primaries ?? 3;
  const servers = redisProcesses("hookline-redis-cluster-");
  const { dir, alive, kill, destroy } = servers;

  try {
    const ports: number[] = [];
    for (let i = 0; i < primaries * 2; i++) {
      // The cluster bus port is given too: the default (port + 10000) may be taken or out of range.
      const [port, busPort] = [await freePort(), await freePort()];
      servers.run(port, [
        ...["--port", String(port), "--cluster-port", String(busPort), "--bind", "127.0.0.1"],
        ...["--cluster-enabled", "yes", "--cluster-config-file", join(dir, `nodes-${port}.conf`)],
        ...["--cluster-node-timeout", String(options.nodeTimeoutMs ?? 1_000), "--cluster-replica-validity-factor", "0"],
        ...["--dir", dir, "--logfile", join(dir, `${port}.log`), "--save", "", "--appendonly", "no"],
        ...["--maxmemory-policy", "noeviction"],
      ]);
      ports.push(port);
    }
    await Promise.all(
      ports.map((port) => waitUntil(async () => (await redisCliAsync(port, "ping")) === "PONG", 10_000, `redis-server ${port}'s start`)),
    );
    const create = spawn(
      "redis-cli",
      ["--cluster", "create", ...ports.map((port) => `127.0.0.1:${port}`), "--cluster-replicas", "1", "--cluster-yes"],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    const output: Buffer[] = [];
    create.stdout.on("data", (chunk: Buffer) => output.push(chunk));
    create.stderr.on("data", (chunk: Buffer) => output.push(chunk));
    const [code] = (await once(create, "exit")) as [number | null];
    if (code !== 0) throw new Error(`redis-cli --cluster create failed:\n${Buffer.concat(output).toString("utf8")}`);
    // Every node agrees the cluster is whole, and every replica has its copy (a replica that never
    // synchronised could not take over).
    const whole = async (nodes: readonly number[]) =>
      (await Promise.all(nodes.map((port) => redisCliAsync(port, "cluster", "info")))).every((info) => info.includes("cluster_state:ok"));
    const synchronised = async (port: number) => {
      const replication = await redisCliAsync(port, "info", "replication");
      return replication.includes("role:master") || replication.includes("master_link_status:up");
    };
    await waitUntil(
      async () => (await whole(ports)) && (await Promise.all(ports.map(synchronised))).every(Boolean),
      30_000,
      "the cluster's forming",
    );

    const primaryOf = async (key: string): Promise<number> => {
      const [ask] = alive();
      if (ask === undefined) throw new Error("no node of the cluster is running");
      const slot = Number(await redisCliAsync(ask, "cluster", "keyslot", key));
      const owner = (await clusterNodes(ask)).find(
        (node) => node.primary && !node.failed && node.slots.some(([first, last]) => slot >= first && slot <= last),
      );
      if (!owner) throw new Error(`no primary serves slot ${slot}`);
      return owner.port;
    };

    return {
      ports,
      env: {
        REDIS_CLUSTER_NODES: ports.map((port) => `127.0.0.1:${port}`).join(","),
        // Its host is unused on a cluster; a closed port makes a process that ignored the nodes fail.
        REDIS_URL: UNUSED_REDIS_URL,
      },
      keys: (pattern) =>
        alive()
          .filter((port) => redisCli(port, "info", "replication").includes("role:master"))
          .flatMap((port) => redisCli(port, "--scan", "--pattern", pattern).split("\n").filter(Boolean)),
      primaryOf,
      kill,
      async waitForFailover(key, from, timeoutMs = 30_000) {
        let now = from;
        await waitUntil(
          async () => {
            now = await primaryOf(key).catch(() => from);
            return now !== from && (await whole(alive()));
          },
          timeoutMs,
          `the failover of ${key}'s primary`,
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
