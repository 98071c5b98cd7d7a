import { PostgresBackoff, WorkerStoppingError, type PostgresBackoffOptions } from "../src/postgres-backoff.js";

/**
 * A stand-in for Postgres's answers: up, or out of connection slots (53300), with every job's
 * query and every ping counted. `pingable`: pings get through while queries do not, as on the one
 * connection a pool kept while new ones are refused. `hang`: pings never answer.
 */
function database() {
  const state = { up: true, pingable: false, hang: false, queries: [] as number[], pings: [] as number[] };
  const unavailable = () => Object.assign(new Error("sorry, too many clients already"), { code: "53300" });
  const answer = async (ok: boolean) => {
    await new Promise((resolve) => setTimeout(resolve, 2));
    if (!ok) throw unavailable();
  };
  return {
    state,
    query: async (value: number) => {
      state.queries.push(Date.now());
      await answer(state.up);
      return value;
    },
    ping: async () => {
      state.pings.push(Date.now());
      if (state.hang) return new Promise<void>(() => undefined);
      await answer(state.up || state.pingable);
    },
  };
}

const isUnavailable = (error: unknown) => (error as { code?: string }).code === "53300";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function backoffOn(db: ReturnType<typeof database>, options: Partial<PostgresBackoffOptions> = {}) {
  const told: string[] = [];
  const recoveries: number[] = [];
  const backoff = new PostgresBackoff({
    isUnavailable,
    ping: db.ping,
    initialDelayMs: 20,
    maxDelayMs: 160,
    onUnavailable: (error) => told.push((error as Error).message),
    onRecovered: (_downMs, probes) => recoveries.push(probes),
    ...options,
  });
  return { backoff, told, recoveries };
}

describe("PostgresBackoff", () => {
  it("passes results and other errors through while Postgres answers", async () => {
    const { backoff } = backoffOn(database());
    await expect(backoff.run(async () => 7)).resolves.toBe(7);
    await expect(backoff.run(() => Promise.reject(new Error("a bug")))).rejects.toThrow("a bug");
    expect(backoff.unavailable).toBe(false);
  });

  it("holds every job while Postgres is away, pings one at a time with growing waits, and finishes them all when it is back", async () => {
    const db = database();
    const { backoff, told, recoveries } = backoffOn(db);
    db.state.up = false;
    const jobs = Array.from({ length: 50 }, (_, i) => backoff.run(() => db.query(i)));
    await sleep(1_000);
    expect(backoff.unavailable).toBe(true);
    // The first wave (every job was under way), and nothing of theirs since: only pings, 20, 40,
    // 80, 160, 160, … ms apart. Without the back-off each of the 50 jobs would try again on its own.
    expect(db.state.queries).toHaveLength(50);
    expect(db.state.pings.length).toBeGreaterThanOrEqual(4);
    expect(db.state.pings.length).toBeLessThan(15);
    const gaps = db.state.pings.slice(1).map((at, i) => at - db.state.pings[i]!);
    expect(gaps[0]!).toBeGreaterThanOrEqual(35);
    expect(Math.max(...gaps)).toBeLessThan(400);
    expect(gaps.at(-1)!).toBeGreaterThanOrEqual(150);

    db.state.up = true;
    await expect(Promise.all(jobs)).resolves.toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(told).toEqual(["sorry, too many clients already"]);
    expect(recoveries).toEqual([db.state.pings.length]);
    expect(backoff.unavailable).toBe(false);
    // Every job ran its work once more, after the ping that got through.
    expect(db.state.queries).toHaveLength(100);
  });

  it("counts a ping that got through while the jobs are still refused as the same outage, and gives such a job up after its waits", async () => {
    const db = database();
    const { backoff, told, recoveries } = backoffOn(db, { waitsPerJob: 3 });
    db.state.up = false;
    const job = backoff.run(() => db.query(1));
    await sleep(50);
    db.state.pingable = true;
    // Each ping gets through and releases the job, which is refused again: after its third wait
    // its error goes to its caller (BullMQ, which spends an attempt), instead of holding it forever.
    await expect(job).rejects.toThrow("sorry, too many clients already");
    expect(db.state.queries).toHaveLength(4);
    expect(told).toHaveLength(1);
    expect(recoveries.length).toBeGreaterThanOrEqual(3);
    // One outage: the last recovery counts every ping since it began.
    expect(recoveries.at(-1)!).toBe(db.state.pings.length);
  });

  it("lets waiting jobs step aside when the worker stops, even while a ping hangs", async () => {
    const db = database();
    const { backoff } = backoffOn(db, { initialDelayMs: 10 });
    db.state.up = false;
    db.state.hang = true;
    const steppedAside: string[] = [];
    const aside = backoff.run(
      () => db.query(1),
      async () => {
        steppedAside.push("job");
        throw new Error("moved back to the queue");
      },
    );
    const plain = backoff.run(() => db.query(2));
    await sleep(100);
    expect(db.state.pings.length).toBe(1);
    backoff.stop();
    await expect(aside).rejects.toThrow("moved back to the queue");
    await expect(plain).rejects.toBeInstanceOf(WorkerStoppingError);
    expect(steppedAside).toEqual(["job"]);
    expect(db.state.queries).toHaveLength(2);
  });
});
