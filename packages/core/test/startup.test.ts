import {
  awaitDependencies,
  EXIT_CODES,
  failureReason,
  NoAnswerError,
  publicFailure,
  type Dependency,
  type Unreachable,
} from "../src/index.js";

/** A dependency whose attempts answer as `outcomes` says, in turn (the last one repeats); counts them. */
function dependency(name: string, outcomes: ("ok" | "refused" | "silent" | "denied")[]) {
  let attempts = 0;
  const subject: Dependency & { readonly attempts: number } = {
    name,
    address: `${name.toLowerCase()}:1`,
    exitCode: EXIT_CODES.postgresUnreachable,
    get attempts() {
      return attempts;
    },
    probe() {
      const outcome = outcomes[Math.min(attempts, outcomes.length - 1)];
      attempts++;
      if (outcome === "ok") return Promise.resolve();
      if (outcome === "silent") return new Promise<void>(() => undefined);
      const error = Object.assign(
        new Error(outcome === "denied" ? 'password authentication failed for user "x"' : "connect ECONNREFUSED"),
        {
          code: outcome === "denied" ? "28P01" : "ECONNREFUSED",
        },
      );
      return Promise.reject(error);
    },
    isPermanent: (error) => (error as { code?: string }).code === "28P01",
  };
  return subject;
}

describe("awaitDependencies", () => {
  it("tries again until a dependency answers, telling once that it waits", async () => {
    const postgres = dependency("Postgres", ["refused", "refused", "ok"]);
    const redis = dependency("Redis", ["ok"]);
    const waiting: [Unreachable, number][] = [];
    const result = await awaitDependencies([postgres, redis], {
      timeoutMs: 5_000,
      retryEveryMs: 10,
      onWaiting: (unreachable, remaining) => waiting.push([unreachable, remaining]),
    });
    expect(result).toBeUndefined();
    expect(postgres.attempts).toBe(3);
    expect(redis.attempts).toBe(1);
    expect(waiting).toHaveLength(1);
    expect(waiting[0]![0]).toMatchObject({ dependency: postgres, reason: "connection refused", attempts: 1 });
    expect(waiting[0]![1]).toBeGreaterThan(4_000);
  });

  it("gives up on one that never answers once its time is spent, counting the tries", async () => {
    const redis = dependency("Redis", ["refused"]);
    const started = Date.now();
    const result = await awaitDependencies([dependency("Postgres", ["ok"]), redis], { timeoutMs: 300, retryEveryMs: 50 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(result).toMatchObject({ dependency: redis, reason: "connection refused" });
    expect(result!.attempts).toBe(redis.attempts);
    expect(result!.attempts).toBeGreaterThan(2);
    expect(result!.waitedMs).toBeGreaterThanOrEqual(300);
  });

  it("reports a failure no wait will mend at once, without waiting for the others", async () => {
    const postgres = dependency("Postgres", ["denied"]);
    const redis = dependency("Redis", ["refused"]);
    const started = Date.now();
    const result = await awaitDependencies([redis, postgres], { timeoutMs: 10_000, retryEveryMs: 20 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(result).toMatchObject({ dependency: postgres, reason: 'password authentication failed for user "x"', attempts: 1 });
    // The other dependency's tries stop with the wait.
    const triesThen = redis.attempts;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(redis.attempts).toBe(triesThen);
  });

  it("ends an attempt that gets no answer at all", async () => {
    const result = await awaitDependencies([dependency("Postgres", ["silent"])], { timeoutMs: 0 });
    expect(result).toMatchObject({ reason: "no answer within 1 s", attempts: 1 });
  });

  it("resolves at once with nothing to wait for", async () => {
    await expect(awaitDependencies([], { timeoutMs: 1_000 })).resolves.toBeUndefined();
  });
});

describe("failureReason", () => {
  it("says a network error in words, and reads the first of several addresses' errors", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED ::1:5999"), { code: "ECONNREFUSED" });
    expect(failureReason(refused)).toBe("connection refused");
    expect(failureReason(new AggregateError([refused, refused]))).toBe("connection refused");
    expect(failureReason(Object.assign(new Error("getaddrinfo ENOTFOUND db"), { code: "ENOTFOUND" }))).toBe("host not found");
    expect(failureReason(new Error('database "x" does not exist\n    at stack'))).toBe('database "x" does not exist');
  });
});

describe("publicFailure", () => {
  it("says why in words of its own, never the server's message", () => {
    // What Postgres's and Redis's own errors mean: packages/db/test/database-errors.test.ts and
    // packages/queue/test/reachability.test.ts.
    expect(publicFailure(new AggregateError([Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" })]))).toBe(
      "connection refused",
    );
    expect(publicFailure(new NoAnswerError(1_000))).toBe("no answer within 1 s");
    expect(publicFailure(new Error('relation "secret_table" does not exist'))).toBe("error");
  });
});
