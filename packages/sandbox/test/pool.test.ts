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
