// Run by dist.test.ts with plain node (no tsx, no Jest): the built package must start its threads
// from dist/thread.js and answer the documented hello world.
import { compileWorkflow, DEFAULT_SANDBOX_LIMITS, SandboxPool } from "../dist/index.js";

const source = `const workflow: EndpointWorkflow = async ({ request, env, utils }) => {
  return new Response("hello world");
};
export default workflow;
`;
const compiled = compileWorkflow(source);
if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
const pool = new SandboxPool({ threads: 1, limits: DEFAULT_SANDBOX_LIMITS });
const host = {
  publish: async (input) => ({ id: "evt_dist", event_type: input.event_type, deliveries: 0 }),
  fetch: async () => ({ status: 200, headers: [], body: "" }),
};
const request = { method: "GET", url: "http://localhost/", path: "/", params: {}, query: {}, headers: [], body: "" };
const hello = await pool.run({ tenantId: "dist", codeKey: "v1", js: compiled.js, request, env: {}, host });
const loop = await pool.run({
  tenantId: "dist",
  codeKey: "v2",
  js: "export default async () => { while (true) {} };",
  request,
  env: {},
  host,
});
await pool.close();
process.stdout.write(JSON.stringify({ hello: { outcome: hello.outcome, body: hello.response?.body }, loop: loop.outcome }));
