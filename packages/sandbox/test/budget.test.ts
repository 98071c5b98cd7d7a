import { Worker } from "node:worker_threads";
import { Budget, CLOCK_LAG_MS } from "../src/budget.js";
import { thisThreadCpuClock, thisThreadId, threadCpuClock } from "../src/thread-clock.js";

/** A wall clock and a CPU clock the test moves by hand; the CPU clock counts its readings. */
function clocks() {
  const state = { wall: 0, cpu: 1000, readings: 0 };
  return {
    state,
    now: () => state.wall,
    cpu: () => {
      state.readings++;
      return state.cpu;
    },
  };
}

test("a slice that waited for a CPU is charged the CPU it used, not its wall time", () => {
  const { state, now, cpu } = clocks();
  const budget = new Budget(50, 5000, now, cpu);
  budget.slice(() => {
    state.wall += 400; // preempted most of the time
    state.cpu += 10;
  });
  expect(budget.exceeded()).toBeNull();
  // What the clock says, and a tick more for how far it may lag (CLOCK_LAG_MS).
  expect(budget.spentMs).toBe(10 + CLOCK_LAG_MS);
});

test("code that used its CPU time is stopped, by the interrupt handler mid-slice", () => {
  const { state, now, cpu } = clocks();
  const budget = new Budget(50, 5000, now, cpu);
  let stopped = false;
  budget.slice(() => {
    for (let step = 0; step < 100 && !stopped; step++) {
      state.wall += 1;
      state.cpu += 1;
      stopped = budget.shouldInterrupt();
    }
  });
  expect(stopped).toBe(true);
  expect(budget.interrupted).toBe("cpu");
  // Stopped within half a millisecond of the limit: the clock is read again once what was left could be spent.
  expect(state.cpu - 1000).toBeGreaterThan(50);
  expect(state.cpu - 1000).toBeLessThanOrEqual(51);
});

test("the CPU clock is read only when the slices' wall time says the limit could be reached", () => {
  const { state, now, cpu } = clocks();
  const budget = new Budget(50, 5000, now, cpu);
  const readingsAtStart = state.readings;
  // Half of the slices' wall time is CPU time: nothing is read before the slices pass the limit,
  // then a few readings, each putting the next one as far as what was left allows.
  let readingsBy50 = -1;
  let polls = 0;
  budget.slice(() => {
    for (let step = 1; step <= 74; step++) {
      state.wall += 1;
      state.cpu += step % 2;
      budget.shouldInterrupt();
      polls++;
      if (step === 50) readingsBy50 = state.readings;
    }
  });
  expect(readingsBy50).toBe(readingsAtStart);
  expect(state.readings - readingsAtStart).toBeGreaterThanOrEqual(1);
  expect(state.readings - readingsAtStart).toBeLessThanOrEqual(3);
  expect(polls).toBe(74);
  expect(budget.exceeded()).toBeNull();
});

test("a clock that lags by a tick stops code early, never late", () => {
  // The kernel updates a thread's clock at its ticks: the reading is the truth rounded down to 4 ms.
  const run = (wallPerCpuMs: number) => {
    const state = { wall: 0, truth: 0 };
    const budget = new Budget(
      50,
      100_000,
      () => state.wall,
      () => Math.floor(state.truth / 4) * 4,
    );
    let stopped = false;
    budget.slice(() => {
      while (!stopped) {
        state.wall += wallPerCpuMs * 0.25;
        state.truth += 0.25;
        stopped = budget.shouldInterrupt();
      }
    });
    return state.truth;
  };
  // Never preempted: the slices' own time is exact.
  expect(run(1)).toBeGreaterThan(50);
  expect(run(1)).toBeLessThanOrEqual(50.5);
  // Waiting most of its time for a CPU: stopped within a tick of the limit, on the early side.
  expect(run(10)).toBeGreaterThan(50 - CLOCK_LAG_MS - 4);
  expect(run(10)).toBeLessThanOrEqual(50);
});

test("time outside slices (awaiting host calls) is not polled, and the wall deadline still holds", () => {
  const { state, now, cpu } = clocks();
  const budget = new Budget(50, 1000, now, cpu);
  state.wall += 999;
  expect(budget.shouldInterrupt()).toBe(false); // not in a slice
  expect(budget.exceeded()).toBeNull();
  state.wall += 2;
  expect(budget.exceeded()).toBe("wall");
});

test("without a CPU clock the slices' wall time stands in for CPU time", () => {
  const { state, now } = clocks();
  const budget = new Budget(50, 5000, now, null);
  budget.slice(() => {
    state.wall += 51;
  });
  expect(budget.exceeded()).toBe("cpu");
  expect(budget.spentMs).toBe(51);
});

test("a thread's CPU clock counts work, not waiting, and the main thread can read a worker's (Linux)", async () => {
  const own = thisThreadCpuClock();
  expect(own).not.toBeNull();
  const before = own!()!;
  const waitedFrom = performance.now();
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60);
  expect(performance.now() - waitedFrom).toBeGreaterThanOrEqual(59);
  expect(own!()! - before).toBeLessThan(20);
  const spinFrom = performance.now();
  while (performance.now() - spinFrom < 40);
  expect(own!()! - before).toBeGreaterThan(0);

  // A worker spins for 300 ms of CPU by its own clock; from here, its clock by its id agrees.
  const worker = new Worker(
    `const { parentPort } = require("node:worker_threads");
     const { readFileSync, readlinkSync } = require("node:fs");
     const cpu = () => Number(readFileSync("/proc/thread-self/schedstat", "latin1").split(" ")[0]) / 1e6;
     const id = Number(readlinkSync("/proc/thread-self").split("/").pop());
     const start = cpu();
     while (cpu() - start < 300);
     parentPort.postMessage(id);
     parentPort.once("message", () => process.exit(0));`,
    { eval: true },
  );
  const id = await new Promise<number>((resolve) => worker.once("message", resolve));
  const theirs = threadCpuClock(id);
  expect(theirs).not.toBeNull();
  expect(theirs!()!).toBeGreaterThanOrEqual(300);
  expect(id).not.toBe(thisThreadId());
  worker.postMessage("done");
  await new Promise((resolve) => worker.once("exit", resolve));
});
