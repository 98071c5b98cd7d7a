import autocannon from "autocannon";
import type { BenchCluster } from "./cluster.js";

/**
 * S8: an integration's shared endpoint (seed 004). Calls are routed (customer from a header),
 * stored and answered at once; workers run the flow.
 *
 * - accepted: autocannon against the shared URL with the workers paused (SIGSTOP), so the API,
 *   Postgres and Redis have the machine, as S5 measures ingestion;
 * - call to flow start: an open loop at a modest rate with the workers running; from each stored
 *   execution's `created_at` (the call) to its `started_at` (a worker claimed it), from the table.
 */
export interface IntegrationsResult {
  readonly accepted: { readonly requestsPerSecond: number; readonly p99: number; readonly non2xx: number };
  readonly toStart: { readonly offeredPerSecond: number; readonly started: number; readonly p50: number; readonly p99: number };
}

const FLOW = `export default async ({ request, customer }) => ({ customer: customer.external_id, size: (await request.text()).length });`;

export async function integrations(cluster: BenchCluster, seconds: number): Promise<IntegrationsResult> {
  const tenant = await cluster.admin<{ id: string; api_key: string }>("POST", "/v1/tenants", {
    body: { name: `bench-integrations-${Date.now()}` },
  });
  const auth = { authorization: `Bearer ${tenant.body.api_key}`, "content-type": "application/json" };
  const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${cluster.apiUrl}${path}`, {
      method,
      headers: auth,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return (response.status === 204 ? undefined : await response.json()) as T;
  };
  const customer = await api<{ id: string }>("POST", "/v1/customers", { name: "bench", external_id: "bench-1" });
  const integration = await api<{ id: string }>("POST", "/v1/integrations", {
    name: "bench",
    flows: [{ name: "only", code: FLOW }],
    endpoint_config: { type: "shared", customer_external_id: { header: "x-customer" } },
  });
  await api("POST", `/v1/integrations/${integration.id}/versions`);
  await api("POST", "/v1/instances", { integration_id: integration.id, version: 1, customer_id: customer.id });
  const { shared_url: url } = await api<{ shared_url: string }>("GET", `/v1/integrations/${integration.id}`);
  const call = {
    url,
    method: "POST" as const,
    headers: { "content-type": "application/json", "x-customer": "bench-1" },
    body: JSON.stringify({ item: "widgets", quantity: 5 }),
  };

  cluster.signalWorkers("SIGSTOP");
  let accepted: autocannon.Result;
  try {
    accepted = await autocannon({ ...call, connections: 32, duration: seconds });
  } finally {
    cluster.signalWorkers("SIGCONT");
  }
  // Let the workers run the backlog the accept phase left, so the open loop measures a steady state.
  const drained = Date.now() + 120_000;
  while (Date.now() < drained) {
    const [row] = await cluster.sql<{ n: string }>(`SELECT count(*) AS n FROM flow_executions WHERE status IN ('queued', 'running')`);
    if (Number(row?.n ?? 0) === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }

  const since = new Date();
  const rate = 100;
  const open = await autocannon({ ...call, connections: 8, overallRate: rate, duration: seconds });
  const deadline = Date.now() + 30_000;
  for (;;) {
    const [row] = await cluster.sql<{ n: string }>(
      `SELECT count(*) AS n FROM flow_executions WHERE created_at >= $1 AND started_at IS NULL`,
      [since],
    );
    if (Number(row?.n ?? 0) === 0 || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const [stats] = await cluster.sql<{ started: string; p50: number | null; p99: number | null }>(
    `SELECT count(*) AS started,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM started_at - created_at) * 1000) AS p50,
            percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM started_at - created_at) * 1000) AS p99
     FROM flow_executions WHERE created_at >= $1 AND started_at IS NOT NULL`,
    [since],
  );
  await api("DELETE", `/v1/integrations/${integration.id}`);
  return {
    accepted: { requestsPerSecond: accepted.requests.average, p99: accepted.latency.p99, non2xx: accepted.non2xx },
    toStart: {
      offeredPerSecond: open.requests.total / seconds,
      started: Number(stats?.started ?? 0),
      p50: Number(stats?.p50 ?? Number.NaN),
      p99: Number(stats?.p99 ?? Number.NaN),
    },
  };
}
