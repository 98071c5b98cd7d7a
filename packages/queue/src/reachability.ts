import { EXIT_CODES, NoAnswerError, type Dependency } from "@hookline/core";
import { createRedis, type RedisTarget } from "./connection.js";

/** Where the queue's Redis is looked for, without credentials. */
function redisAddress(target: RedisTarget): string {
  switch (target.mode) {
    case "single": {
      const url = new URL(target.url);
      return `${url.hostname || "localhost"}:${url.port || "6379"}`;
    }
    case "cluster":
      return `cluster ${target.nodes.map((node) => `${node.host}:${node.port}`).join(",")}`;
    case "sentinel":
      return `primary "${target.name}" of sentinels ${target.sentinels.map((node) => `${node.host}:${node.port}`).join(",")}`;
  }
}

/**
 * Redis as a dependency a process waits for at start (see ensureStartable): one connection, one
 * PING. A refused password is a failure no wait will mend.
 */
export function redisDependency(target: RedisTarget): Dependency {
  return {
    name: "Redis",
    address: redisAddress(target),
    exitCode: EXIT_CODES.redisUnreachable,
    async probe(timeoutMs) {
      const client = createRedis(target, "probe");
      // ioredis reports the connection's own error (refused, timed out) as an event; the promise
      // of connect() then only says that the connection closed.
      let cause: unknown;
      client.on("error", (error: Error & { lastNodeError?: Error }) => {
        cause ??= error.lastNodeError ?? error;
      });
      // A server that accepts and never answers would keep connect() (its ready check) waiting:
      // the probe ends its own connection at its deadline.
      const deadline = setTimeout(() => {
        cause ??= new NoAnswerError(timeoutMs);
        client.disconnect();
      }, timeoutMs);
      try {
        await client.connect();
        await client.ping();
      } catch (error) {
        throw cause ?? error;
      } finally {
        clearTimeout(deadline);
        client.disconnect();
      }
    },
    isPermanent: (error) => describeRedisFailure(error) === "authentication failed",
  };
}

/** What Redis's error prefixes say, in the words `/readyz` may show anyone. */
const FAILURE_WORDS: readonly [RegExp, string][] = [
  [/^OOM\b/, "out of memory"],
  [/^LOADING\b/, "loading its data"],
  [/^(WRONGPASS|NOAUTH|NOPERM)\b/, "authentication failed"],
  [/^(READONLY|MASTERDOWN|CLUSTERDOWN|TRYAGAIN)\b/, "not accepting writes"],
];

/** Why Redis refused, from a fixed vocabulary (for publicFailure in @hookline/core). */
export function describeRedisFailure(error: unknown): string | undefined {
  const message = (error as { message?: unknown } | undefined)?.message;
  if (typeof message !== "string") return undefined;
  return FAILURE_WORDS.find(([pattern]) => pattern.test(message))?.[1];
}
