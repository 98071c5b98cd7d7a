import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const FIXTURE = fileURLToPath(new URL("./fixtures/log-then.ts", import.meta.url));

/** Runs the fixture; resolves with the log lines once `until` lines arrived or the process ended. */
async function run(how: "stay" | "exit" | "throw", until = Number.POSITIVE_INFINITY) {
  const child = spawn(process.execPath, ["--conditions=hookline-source", "--import", "tsx", FIXTURE, how], {
    stdio: ["ignore", "pipe", "ignore"],
  });
  const lines: Record<string, unknown>[] = [];
  const exited = once(child, "exit");
  await new Promise<void>((resolve) => {
    createInterface({ input: child.stdout }).on("line", (line) => {
      lines.push(JSON.parse(line) as Record<string, unknown>);
      if (lines.length >= until) resolve();
    });
    void exited.then(() => resolve());
  });
  child.kill("SIGKILL");
  await exited;
  return lines;
}

// Lines are written in blocks: these show none is held back indefinitely or lost on the way out.
it("writes buffered lines out while the process runs on", async () => {
  const lines = await run("stay", 3);
  expect(lines.map((l) => l.msg)).toEqual(["line 0", "line 1", "line 2"]);
}, 10_000);

it("writes buffered lines out when the process exits at once", async () => {
  expect((await run("exit")).map((l) => l.msg)).toEqual(["line 0", "line 1", "line 2"]);
});

it("writes buffered lines out when the process dies of an uncaught exception", async () => {
  expect((await run("throw")).map((l) => l.msg)).toEqual(["line 0", "line 1", "line 2"]);
});

it("never writes a secret", async () => {
  const [line] = await run("exit");
  expect(line).toMatchObject({ i: 0, secret: "[redacted]", service: "fixture" });
});
