import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const FIXTURE = fileURLToPath(new URL("./fixtures/log-trouble.ts", import.meta.url));

const started: ChildProcess[] = [];
// A fixture that failed to exit (what these tests catch) must not outlive its test.
afterEach(() => {
  for (const child of started.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});

/** The fixture, its stderr lines, and a wait for the first stderr line matching a pattern. */
function start() {
  const child = spawn(process.execPath, ["--conditions=hookline-source", "--import", "tsx", FIXTURE], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  started.push(child);
  const lines: string[] = [];
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  createInterface({ input: child.stderr }).on("line", (line) => {
    lines.push(line);
    for (const waiter of waiters.filter((w) => w.pattern.test(line))) waiter.resolve(line);
  });
  const exited = once(child, "exit") as Promise<[number | null, NodeJS.Signals | null]>;
  const next = (pattern: RegExp) =>
    new Promise<string>((resolve, reject) => {
      waiters.push({ pattern, resolve });
      void exited.then(([code]) => reject(new Error(`exited (${code}) before ${pattern}:\n${lines.slice(-10).join("\n")}`)));
    });
  return { child, lines, next, exited };
}

/** Lines that came after `from`: the event loop ran on if they include ticks. */
const ticksAfter = (lines: readonly string[], from: number) => lines.slice(from).filter((line) => line === "tick").length;

describe("the log output", () => {
  it("drops and counts lines once its reader is gone, keeps running, and exits on SIGTERM", async () => {
    const fixture = start();
    await fixture.next(/^started$/);
    // Read a little, then close the read end: the next writes fail with EPIPE.
    await once(fixture.child.stdout!, "data");
    fixture.child.stdout!.destroy();
    await fixture.next(/^dropped \d+/);
    const from = fixture.lines.length;
    await fixture.next(/^dropped \d+/);
    await fixture.next(/^tick$/);
    expect(ticksAfter(fixture.lines, from)).toBeGreaterThan(0);
    fixture.child.kill("SIGTERM");
    // Before the fix, the exit's flush retried EPIPE every 100 ms forever: this wait timed out.
    expect(await fixture.exited).toEqual([0, null]);
    expect(fixture.lines).toContain("exiting");
  }, 20_000);

  it("never blocks on a reader that does not read, drops past its buffer, and exits on SIGTERM", async () => {
    const fixture = start();
    // Nobody reads stdout: the pipe fills, then the 4 MiB buffer, then lines are dropped.
    fixture.child.stdout!.pause();
    await fixture.next(/^started$/);
    await fixture.next(/^dropped \d+/);
    const from = fixture.lines.length;
    await fixture.next(/^tick$/);
    await fixture.next(/^tick$/);
    expect(ticksAfter(fixture.lines, from)).toBeGreaterThanOrEqual(2);
    fixture.child.kill("SIGTERM");
    // The exit's flush meets a full pipe: a bounded number of retries, then the rest is dropped.
    expect(await fixture.exited).toEqual([0, null]);
  }, 20_000);
});
