import { DEFAULT_SANDBOX_LIMITS, SandboxPool } from "../src/index.js";
import { invocation } from "./helpers.js";

let pool: SandboxPool;

beforeAll(() => {
  pool = new SandboxPool({ threads: 2, limits: DEFAULT_SANDBOX_LIMITS });
});

afterAll(async () => {
  await pool.close();
});

test("the hello world, exactly as documented", async () => {
  const source = `const workflow: EndpointWorkflow = async ({ request, env, utils }) => {
  return new Response("hello world");
};
export default workflow;
`;
  const result = await pool.run(invocation(source));
  expect(result.outcome).toBe("ok");
  expect(result.response).toEqual({
    status: 200,
    headers: [["content-type", "text/plain;charset=UTF-8"]],
    body: "hello world",
    bodyEncoding: "utf8",
  });
  expect(result.logs).toEqual([]);
});

test("sandbox threads run at a lower scheduling priority than the API's own (Linux)", async () => {
  // Both threads have served a call, so both exist; their nice value is field 19 of /proc/<pid>/task/<tid>/stat.
  await Promise.all([
    pool.run(invocation(`export default async () => new Response("a");`)),
    pool.run(invocation(`export default async () => new Response("b");`)),
  ]);
  const { readdirSync, readFileSync } = await import("node:fs");
  const nice = (tid: string) => Number(readFileSync(`/proc/self/task/${tid}/stat`, "utf8").split(") ")[1]!.split(" ")[16]);
  const tasks = readdirSync("/proc/self/task");
  expect(tasks.filter((tid) => nice(tid) === 10).length).toBeGreaterThanOrEqual(2);
  // This thread (Jest's) is untouched.
  expect(nice(String(process.pid))).toBe(0);
});
