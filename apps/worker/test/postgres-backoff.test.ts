import { PostgresBackoff, WorkerStoppingError } from "../src/postgres-backoff.js";

/** A stand-in for Postgres's answers: up or out of connection slots (53300), with every call counted. */
function database() {
  // `spare`: answers it can still give while down, as a connection the pool kept would.
  const state = { up: true, spare: 0, calls: [] as number[] };
  const unavailable = () => Object.assign(new Error("sorry, too many clients already"), { code: "53300" });
  return {
    state,
    query: async (value: number) => {
      state.calls.push(Date.now());
      await new Promise((resolve) => setTimeout(resolve, 2));
      if (!state.up) {
        if (state.spare === 0) throw unavailable();
        state.spare--;
      }
      return value;
    },
  };
}

const isUnavailable = (error: unknown) => (error as { code?: string }).code === "53300";

describe("PostgresBackoff", () => {
  it("passes results and other errors through while Postgres answers", async () => {
    const backoff = new PostgresBackoff({ isUnavailable });
    await expect(backoff.run(async () => 7)).resolves.toBe(7);
    await expect(backoff.run(() => Promise.reject(new Error("a bug")))).rejects.toThrow("a bug");
    expect(backoff.unavailable).toBe(false);
  });

  it("holds every job while Postgres is away, lets one probe at a time with growing waits, and finishes them all when it is back", async () => {
    const db = database();
    const told: string[] = [];
    let recovered: { downMs: number; probes: number } | undefined;
    const backoff = new PostgresBackoff({
      isUnavailable,
      initialDelayMs: 20,
      maxDelayMs: 160,
      onUnavailable: (error) => told.push((error as Error).message),
      onRecovered: (downMs, probes) => (recovered = { downMs, probes }),
    });
    db.state.up = false;
    const jobs = Array.from({ length: 50 }, (_, i) => backoff.run(() => db.query(i)));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(backoff.unavailable).toBe(true);
    const duringOutage = db.state.calls.length;
    // The first wave (every job was under way) and then about one probe per wait: 20, 40, 80, 160,
    // 160, … ms. Without the back-off each of the 50 jobs would try again on its own.
    expect(duringOutage).toBeGreaterThanOrEqual(50 + 4);
    expect(duringOutage).toBeLessThan(50 + 15);
    const probes = db.state.calls.slice(50);
    const gaps = probes.slice(1).map((at, i) => at - probes[i]!);
    expect(gaps[0]!).toBeGreaterThanOrEqual(35);
    expect(Math.max(...gaps)).toBeLessThan(400);
    expect(gaps.at(-1)!).toBeGreaterThanOrEqual(150);

    db.state.up = true;
    await expect(Promise.all(jobs)).resolves.toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(told).toEqual(["sorry, too many clients already"]);
    expect(recovered?.probes).toBe(probes.length + 1);
    expect(recovered?.downMs).toBeGreaterThanOrEqual(1_000);
    expect(backoff.unavailable).toBe(false);
    // One successful probe, then every waiting job once.
    expect(db.state.calls.length).toBe(duringOutage + 1 + 49);
  });

  it("counts a probe that got through on a connection it still had, while new ones are refused, as the same outage", async () => {
    const db = database();
    const told: string[] = [];
    const recoveries: number[] = [];
    const backoff = new PostgresBackoff({
      isUnavailable,
      initialDelayMs: 20,
      maxDelayMs: 320,
      onUnavailable: (error) => told.push((error as Error).message),
      onRecovered: (_downMs, probes) => recoveries.push(probes),
    });
    db.state.up = false;
    const jobs = Array.from({ length: 10 }, (_, i) => backoff.run(() => db.query(i)));
    await new Promise((resolve) => setTimeout(resolve, 100));
    // The next probe succeeds; the jobs it lets go fail again.
    db.state.spare = 1;
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(backoff.unavailable).toBe(true);
    expect(recoveries.length).toBeGreaterThanOrEqual(1);
    db.state.up = true;
    await Promise.all(jobs);
    // Told once, and the last recovery counts every probe since the outage began.
    expect(told).toHaveLength(1);
    expect(recoveries.at(-1)!).toBeGreaterThan(recoveries[0]!);
  });

  it("lets a waiting job go when the worker stops, so another worker can run it", async () => {
    const db = database();
    const backoff = new PostgresBackoff({ isUnavailable, initialDelayMs: 60_000 });
    db.state.up = false;
    const job = backoff.run(() => db.query(1));
    await new Promise((resolve) => setTimeout(resolve, 50));
    backoff.stop();
    await expect(job).rejects.toBeInstanceOf(WorkerStoppingError);
  });
});
