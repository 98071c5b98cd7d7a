import { Agent, request } from "node:http";
import type { JsonRequest } from "@hookline/testing";
import { jsonClient } from "@hookline/testing";
import type { BenchCluster } from "./cluster.js";

export type Mode = "ok" | "fail" | "hang" | "down";

export interface ReceiverStats {
  elapsedMs: number;
  arrivals: number;
  delivered: number;
  duplicates: number;
  latencyMs: { p50: number | null; p95: number | null; p99: number | null; max: number | null };
  perEndpoint: Record<string, number>;
  timeline: Record<string, Record<string, number>>;
}

/** The receiver's control API. */
export function receiverControl(url: string) {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${url}${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
    return (await response.json()) as T;
  };
  return {
    reset: () => call("POST", "/control/reset"),
    modes: (modes: Record<number, Mode>) => call("POST", "/control/modes", modes),
    count: async (exclude: readonly number[] = []) =>
      (await call<{ delivered: number }>("GET", `/control/count?exclude=${exclude.join(",")}`)).delivered,
    /** Lifetime totals of every endpoint: arrivals answered ok, distinct webhook-ids among them, repeats. */
    totals: () => call<{ delivered: number; distinct: number; duplicates: number }>("GET", "/control/count"),
    stats: (exclude: readonly number[] = []) => call<ReceiverStats>("GET", `/control/stats?exclude=${exclude.join(",")}`),
  };
}

export type Receiver = ReturnType<typeof receiverControl>;

/** A fresh tenant with `count` endpoints; endpoint i gets the events of type bench.e<i> at /e/<i>. */
export async function tenantWithEndpoints(
  cluster: BenchCluster,
  count: number,
): Promise<{ request: JsonRequest; endpointIds: string[]; apiKey: string }> {
  const tenant = await cluster.admin<{ api_key: string }>("POST", "/v1/tenants", { body: { name: `bench-${Date.now()}` } });
  const request = jsonClient(cluster.apiUrl, tenant.body.api_key);
  const endpointIds: string[] = [];
  for (let i = 0; i < count; i++) {
    const endpoint = await request<{ id: string }>("POST", "/v1/endpoints", {
      body: { name: `e${i}`, url: `${cluster.receiverUrl}/e/${i}`, timeout_seconds: cluster.settings.endpointTimeoutSeconds },
    });
    if (endpoint.status !== 201) throw new Error(`endpoint not created: ${endpoint.text}`);
    await request("POST", "/v1/subscriptions", { body: { endpoint_id: endpoint.body.id, event_types: [`bench.e${i}`] } });
    endpointIds.push(endpoint.body.id);
  }
  return { request, endpointIds, apiKey: tenant.body.api_key };
}

/** Removes a scenario's endpoints, so that its retries and backlog cannot touch the next one. */
export async function retire(request: JsonRequest, endpointIds: readonly string[]): Promise<void> {
  for (const id of endpointIds) {
    // An endpoint left behind would go on delivering its backlog into the next scenario's figures.
    // A 503 asks to retry shortly, as a client would.
    let response = await request("DELETE", `/v1/endpoints/${id}`);
    for (let retry = 0; response.status === 503 && retry < 10; retry++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      response = await request("DELETE", `/v1/endpoints/${id}`);
    }
    if (response.status !== 204) throw new Error(`endpoint ${id} not deleted: ${response.status} ${response.text}`);
  }
}

const PAD = "x".repeat(880);
const now = () => performance.timeOrigin + performance.now();

/** A 1 KiB event (as delivered, envelope included) for endpoint `endpoint`, stamped with its publish time. */
export function benchEvent(endpoint: number, seq: number) {
  return { event_type: `bench.e${endpoint}`, data: { sent_at: now(), seq, pad: PAD } };
}

/** Publishes through POST /v1/events/batch over a keep-alive agent; resolves when the API answered. */
export function publisher(apiUrl: string, apiKey: string) {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const { hostname, port } = new URL(apiUrl);
  function post(path: string, body: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const req = request(
        {
          agent,
          hostname,
          port,
          path,
          method: "POST",
          headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json", "content-length": Buffer.byteLength(body) },
        },
        (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  }
  return {
    async batch(endpoints: readonly number[], firstSeq: number): Promise<void> {
      const status = await post("/v1/events/batch", JSON.stringify({ events: endpoints.map((e, i) => benchEvent(e, firstSeq + i)) }));
      if (status !== 202) throw new Error(`batch publish answered ${status}`);
    },
    close: () => agent.destroy(),
  };
}

export type Picker = (seq: number) => number;

/**
 * Closed loop: keeps about `backlog` events published but not yet received by the endpoints that
 * count (`exclude` lists the ones that do not), publishing in batches as receipts come in.
 */
export async function closedLoop(options: {
  cluster: BenchCluster;
  receiver: Receiver;
  apiKey: string;
  pick: Picker;
  exclude?: readonly number[];
  backlog: number;
  durationMs: number;
  batchSize?: number;
}): Promise<{ published: number }> {
  const pub = publisher(options.cluster.apiUrl, options.apiKey);
  const exclude = new Set(options.exclude ?? []);
  const batchSize = options.batchSize ?? 100;
  const deadline = Date.now() + options.durationMs;
  let published = 0;
  let countedPublished = 0;
  const baseline = await options.receiver.count([...exclude]);
  const inflight = new Set<Promise<void>>();
  while (Date.now() < deadline) {
    const received = (await options.receiver.count([...exclude])) - baseline;
    while (countedPublished - received < options.backlog && inflight.size < 16) {
      const endpoints = Array.from({ length: batchSize }, (_, i) => options.pick(published + i));
      const p: Promise<void> = pub.batch(endpoints, published).finally(() => inflight.delete(p));
      inflight.add(p);
      published += batchSize;
      countedPublished += endpoints.filter((e) => !exclude.has(e)).length;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await Promise.all(inflight);
  pub.close();
  return { published };
}

/**
 * Open loop: publishes `ratePerSecond` events on schedule, whatever the engine does, in a batch
 * every 10 ms; latency is measured from each event's publish call. Reports how far the
 * generator itself fell behind (publishes it could not start on time).
 */
export async function openLoop(options: {
  cluster: BenchCluster;
  apiKey: string;
  pick: Picker;
  ratePerSecond: number;
  durationMs: number;
}): Promise<{ published: number; lateBatches: number }> {
  const pub = publisher(options.cluster.apiUrl, options.apiKey);
  const started = Date.now();
  let published = 0;
  let lateBatches = 0;
  const inflight = new Set<Promise<void>>();
  while (Date.now() - started < options.durationMs) {
    const due = Math.floor(((Date.now() - started) / 1000) * options.ratePerSecond);
    if (due > published) {
      if (inflight.size >= 64) {
        lateBatches++;
      } else {
        const endpoints = Array.from({ length: Math.min(500, due - published) }, (_, i) => options.pick(published + i));
        const p: Promise<void> = pub.batch(endpoints, published).finally(() => inflight.delete(p));
        inflight.add(p);
        published += endpoints.length;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await Promise.all(inflight);
  pub.close();
  return { published, lateBatches };
}
