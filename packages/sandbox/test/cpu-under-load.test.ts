import { spawn, type ChildProcess } from "node:child_process";
import { availableParallelism } from "node:os";
import { DEFAULT_SANDBOX_LIMITS, SandboxPool } from "../src/index.js";
import { invocation } from "./helpers.js";

/**
 * Sandbox threads run at a low priority, so on a busy machine their code spends most of its wall
 * time waiting for a CPU. The CPU limit must charge what the code used, not what it waited: here
 * busy processes at normal priority take every core, and a workflow that needs a fraction of its
 * CPU limit must still answer, while one that spins is still stopped near the limit.
 */
let pool: SandboxPool;
const hogs: ChildProcess[] = [];

beforeAll(() => {
  pool = new SandboxPool({ threads: 1, limits: DEFAULT_SANDBOX_LIMITS });
});

afterAll(async () => {
  for (const hog of hogs) hog.kill("SIGKILL");
  await pool.close();
});

/**
 * Busy loops at normal priority, two per core; resolved once each has started spinning. Each ends
 * by itself after 15 s, so that a test runner killed mid-test leaves no spinning process behind.
 */
async function loadEveryCore(): Promise<void> {
  const count = 2 * availableParallelism();
  await Promise.all(
    Array.from({ length: count }, () => {
      const hog = spawn(process.execPath, ["-e", 'process.stdout.write("x"); const end = Date.now() + 15000; while (Date.now() < end);'], {
        stdio: ["ignore", "pipe", "ignore"],
      });
      hogs.push(hog);
      return new Promise((resolve) => hog.stdout!.once("data", resolve));
    }),
  );
}

// About 14 ms of work in QuickJS, under the 50 ms limit: long enough that a starved thread takes longer than the limit in wall time.
const WORK = `export default async () => { let x = 0; for (let i = 0; i < 120000; i++) x = (x * 31 + i) % 1000003; return new Response(String(x)); };`;

test("a workflow is charged the CPU it used while the machine is busy, and a spinning one is still stopped", async () => {
  const quiet = await pool.run(invocation(WORK, { codeKey: "work" }));
  expect(quiet.outcome).toBe("ok");
  // About 14 ms alone; a busy virtual machine's steal time can count as CPU time, so leave room.
  expect(quiet.cpuMs).toBeLessThan(DEFAULT_SANDBOX_LIMITS.cpuMs);

  await loadEveryCore();
  // A run that waited for a CPU for longer than its CPU limit, where wall time alone would have
  // stopped it. How long it waits is up to the scheduler, so it is run until one did (every run
  // must answer, starved or not).
  let busy = await pool.run(invocation(WORK, { codeKey: "work-busy" }));
  for (let run = 1; run < 10 && busy.outcome === "ok" && busy.durationMs <= DEFAULT_SANDBOX_LIMITS.cpuMs; run++) {
    busy = await pool.run(invocation(WORK, { codeKey: "work-busy" }));
  }
  expect(busy.outcome).toBe("ok");
  expect(busy.durationMs).toBeGreaterThan(DEFAULT_SANDBOX_LIMITS.cpuMs);
  expect(busy.cpuMs).toBeLessThan(DEFAULT_SANDBOX_LIMITS.cpuMs);

  const spinning = await pool.run(invocation("export default async () => { for (;;) {} };"));
  expect(spinning.outcome).toBe("cpu_limit");
  expect(spinning.error?.name).toBe("CpuLimitError");
  expect(spinning.cpuMs).toBeGreaterThanOrEqual(DEFAULT_SANDBOX_LIMITS.cpuMs);
  expect(spinning.cpuMs).toBeLessThan(DEFAULT_SANDBOX_LIMITS.cpuMs + 20);
  for (const hog of hogs.splice(0)) hog.kill("SIGKILL");
});
