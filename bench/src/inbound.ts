import autocannon from "autocannon";
import type { JsonRequest } from "@hookline/testing";
import type { BenchCluster } from "./cluster.js";
import { receiverControl, retire, tenantWithEndpoints } from "./workload.js";

/**
 * S7: inbound endpoints, against a ceiling measured in the same run: a bare Express route
 * (`POST /bench/hello`) answering in the same API process behind the same middleware.
 *
 * - B: the bare route's requests/s and p99 (closed loop);
 * - the seed's hello-world workflow, closed loop (requests/s, p99) and open loop at half that rate (p99);
 * - the control plane (`GET /v1/endpoints` at a fixed rate) quiet, then while another tenant's
 *   endless-loop workflow is called over and over;
 * - end to end: an inbound call whose workflow publishes an event, to the receiver's receipt of
 *   its delivery (the workflow copies the caller's `sent_at` into the event).
 */
export interface InboundResult {
  readonly bare: Load;
  readonly hello: Load;
  readonly helloHalf: Load;
  readonly controlQuiet: Load;
  readonly controlLoud: Load;
  /** What the endless loop's callers got meanwhile, by status. */
  readonly loopStatuses: Record<string, number>;
  readonly endToEnd: {
    readonly offeredPerSecond: number;
    readonly deliveredPerSecond: number;
    readonly p50: number | null;
    readonly p99: number | null;
  };
}

export interface Load {
  readonly requestsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly non2xx: number;
  readonly errors: number;
}

const HELLO = `const workflow: EndpointWorkflow = async ({ request, env, utils }) => {
  return new Response("hello world");
};
export default workflow;`;

const LOOP = `export default async () => { while (true) {} };`;

// Publishes what the caller sent (its sent_at) to the bench's endpoint 0, as a Stripe workflow would.
const PUBLISH = `export default async ({ request, utils }) => {
  const body = await request.json();
  await utils.publish({ event_type: "bench.e0", data: { sent_at: body.sent_at, pad: body.pad } });
  return new Response(null, { status: 202 });
};`;

interface Endpoints {
  readonly hello: string;
  readonly loop: string;
  readonly publish: string;
}

/** Creates one inbound endpoint with its workflow saved; returns its preview URL. */
async function inboundEndpoint(request: JsonRequest, path: string, code: string): Promise<string> {
  const created = await request<{ id: string; urls: { kind: string; url: string }[] }>("POST", "/v1/inbound_endpoints", {
    body: { name: path, path, method: "POST", access_level: "none" },
  });
  if (created.status !== 201) throw new Error(`inbound endpoint not created: ${created.text}`);
  const saved = await request("PUT", `/v1/inbound_endpoints/${created.body.id}/workflow`, { body: { code } });
  if (saved.status !== 200) throw new Error(`workflow not saved: ${saved.text}`);
  return created.body.urls.find((u) => u.kind === "preview")!.url;
}

async function load(options: autocannon.Options): Promise<Load> {
  const result = await autocannon(options);
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

export async function inbound(cluster: BenchCluster, seconds: number): Promise<InboundResult> {
  // One tenant whose endpoint 0 receives what the publishing workflow publishes.
  const tenant = await tenantWithEndpoints(cluster, 1);
  const noisy = await tenantWithEndpoints(cluster, 0);
  const endpoints: Endpoints = {
    hello: await inboundEndpoint(tenant.request, "/hello", HELLO),
    publish: await inboundEndpoint(tenant.request, "/publish", PUBLISH),
    loop: await inboundEndpoint(noisy.request, "/loop", LOOP),
  };
  try {
    const post = { method: "POST" as const, connections: 32, duration: seconds };
    // Warm the sandbox threads and the code cache before measuring.
    await load({ ...post, url: endpoints.hello, duration: 2 });
    const bare = await load({ ...post, url: `${cluster.apiUrl}/bench/hello` });
    const hello = await load({ ...post, url: endpoints.hello });
    const helloHalf = await load({
      ...post,
      connections: 16,
      url: endpoints.hello,
      overallRate: Math.max(1, Math.round(hello.requestsPerSecond / 2)),
    });

    const control = {
      url: `${cluster.apiUrl}/v1/endpoints`,
      headers: { authorization: `Bearer ${tenant.apiKey}` },
      connections: 4,
      overallRate: 100,
      duration: seconds,
    };
    const controlQuiet = await load(control);
    const loopStatuses: Record<string, number> = {};
    const loud = new Promise<void>((resolve, reject) => {
      const instance = autocannon({ ...post, connections: 16, url: endpoints.loop }, (error) => (error ? reject(error) : resolve()));
      instance.on("response", (_client: unknown, status: number) => {
        loopStatuses[status] = (loopStatuses[status] ?? 0) + 1;
      });
    });
    const [controlLoud] = await Promise.all([load(control), loud]);

    // End to end, at a modest open-loop rate so the figure is latency, not a backlog.
    const receiver = receiverControl(cluster.receiverUrl);
    await receiver.reset();
    const before = await receiver.count();
    const rate = 100;
    const pad = "x".repeat(880);
    const sent = await autocannon({
      url: endpoints.publish,
      method: "POST",
      connections: 8,
      overallRate: rate,
      duration: seconds,
      headers: { "content-type": "application/json" },
      requests: [
        { setupRequest: (req) => ({ ...req, body: JSON.stringify({ sent_at: performance.timeOrigin + performance.now(), pad }) }) },
      ],
    });
    const deadline = Date.now() + 30_000;
    while ((await receiver.count()) - before < sent.requests.total && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const stats = await receiver.stats();
    return {
      bare,
      hello,
      helloHalf,
      controlQuiet,
      controlLoud,
      loopStatuses,
      endToEnd: {
        offeredPerSecond: sent.requests.total / seconds,
        deliveredPerSecond: stats.delivered / seconds,
        p50: stats.latencyMs.p50,
        p99: stats.latencyMs.p99,
      },
    };
  } finally {
    await retire(tenant.request, tenant.endpointIds);
  }
}
