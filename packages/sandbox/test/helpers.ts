import {
  compileWorkflow,
  type FetchInput,
  type FetchOutput,
  type HostCalls,
  type Invocation,
  type PublishInput,
  type WorkflowRequest,
} from "../src/index.js";

export function request(overrides: Partial<WorkflowRequest> = {}): WorkflowRequest {
  return {
    method: "POST",
    url: "https://hooks.example.test/in/orders?source=shop&source=other&flag",
    path: "/in/orders",
    params: { endpoint: "orders" },
    query: { source: "shop", flag: "" },
    headers: [
      ["content-type", "application/json"],
      ["x-request-id", "req-1"],
    ],
    body: '{"order":42}',
    ...overrides,
  };
}

/** Host calls that record what they were asked and answer as a test wants. */
export function recordingHost(answers: Partial<HostCalls> = {}): HostCalls & { published: PublishInput[]; fetched: FetchInput[] } {
  const published: PublishInput[] = [];
  const fetched: FetchInput[] = [];
  let nextId = 1;
  return {
    published,
    fetched,
    publish: async (input) => {
      published.push(input);
      if (answers.publish) return answers.publish(input);
      return { id: `evt_${nextId++}`, event_type: input.event_type, deliveries: 2 };
    },
    fetch: async (input: FetchInput, timeoutMs: number): Promise<FetchOutput> => {
      fetched.push(input);
      if (answers.fetch) return answers.fetch(input, timeoutMs);
      return { status: 200, headers: [["content-type", "text/plain"]], body: `fetched ${input.method} ${input.url}` };
    },
  };
}

export function compiled(source: string): string {
  const result = compileWorkflow(source);
  if (!result.ok) throw new Error(`compile failed: ${JSON.stringify(result.problems)}`);
  return result.js;
}

let codeVersion = 0;

export function invocation(source: string, overrides: Partial<Invocation> = {}): Invocation {
  return {
    tenantId: "tenant-a",
    codeKey: `v${++codeVersion}`,
    js: compiled(source),
    request: request(),
    env: { GREETING: "hello" },
    host: recordingHost(),
    ...overrides,
  };
}
