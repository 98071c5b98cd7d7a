import { startHarness, type Harness } from "@hookline/api/harness";
import { createLogger, type Logger } from "@hookline/core";
import type { Resolver } from "@hookline/delivery";
import { Webhook } from "standardwebhooks";
import { startReceiver, type JsonRequest, type Receiver, type ReceivedRequest, type ReplyFn } from "@hookline/testing";
import { processDelivery, startWorker, type RunningWorker } from "@hookline/worker";

export interface Engine extends Harness {
  readonly workers: RunningWorker[];
  /** Starts one more in-process worker on the same database and queue. */
  addWorker(): Promise<RunningWorker>;
}

/**
 * The API and in-process workers of one test file, with a fast retry schedule. Tests that need
 * workers as separate processes spawn them instead (see worker-processes.test.ts).
 */
export interface EngineOptions {
  readonly workers?: number;
  /** One logger for the API and the workers (silent by default). */
  readonly logger?: Logger;
  /** Replaces DNS for every outbound request, so tests can play tricks on the SSRF guard. */
  readonly resolve?: Resolver;
}

export async function startEngine(env: Record<string, string> = {}, options: EngineOptions = {}): Promise<Engine> {
  const harness = await startHarness({ RETRY_SCHEDULE: "0.05,0.05,0.05", WORKER_CONCURRENCY: "10", ...env }, options);
  const workers: RunningWorker[] = [];
  const addWorker = async () => {
    const logger = options.logger ?? createLogger({ level: harness.config.logLevel, name: "test-worker" });
    const worker = startWorker(harness.config, logger, processDelivery, { resolve: options.resolve });
    await worker.ready;
    workers.push(worker);
    return worker;
  };
  for (let i = 0; i < (options.workers ?? 1); i++) await addWorker();
  return {
    ...harness,
    workers,
    addWorker,
    async close() {
      await Promise.all(workers.map((w) => w.stop()));
      await harness.close();
    },
  };
}

/** Polls until `check` returns a value (not undefined); for states written by another process. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 15_000, what = "condition"): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export interface EndpointSetup {
  readonly endpointId: string;
  readonly secret: string;
}

/** Registers an endpoint for `url` and subscribes it to `eventTypes`. */
export async function endpointFor(
  request: JsonRequest,
  url: string,
  eventTypes: string[],
  fields: Record<string, unknown> = {},
): Promise<EndpointSetup> {
  const created = await request<{ id: string }>("POST", "/v1/endpoints", { body: { name: "receiver", url, ...fields } });
  if (created.status !== 201) throw new Error(`endpoint not created: ${created.text}`);
  const secret = await request<{ secret: string }>("GET", `/v1/endpoints/${created.body.id}/secret`);
  const sub = await request("POST", "/v1/subscriptions", { body: { endpoint_id: created.body.id, event_types: eventTypes } });
  if (sub.status !== 201) throw new Error(`subscription not created: ${sub.text}`);
  return { endpointId: created.body.id, secret: secret.body.secret };
}

export interface Published {
  id: string;
  deliveries: number;
}

export async function publish(request: JsonRequest, eventType: string, data: Record<string, unknown> = {}): Promise<Published> {
  const response = await request<Published>("POST", "/v1/events", { body: { event_type: eventType, data } });
  if (response.status !== 202) throw new Error(`publish failed: ${response.status} ${response.text}`);
  return response.body;
}

export interface DeliveryView {
  id: string;
  status: string;
  endpoint_id: string;
  attempt_count: number;
  attempts: {
    attempt_number: number;
    status_code: number | null;
    error_kind: string | null;
    error_message: string | null;
    duration_ms: number;
    response_body: string | null;
  }[];
}

/** The deliveries of an event, once every one of them has reached one of `states`. */
export async function settledDeliveries(request: JsonRequest, eventId: string, states = ["succeeded", "failed"]): Promise<DeliveryView[]> {
  return eventually(
    async () => {
      const event = await request<{ deliveries: DeliveryView[] }>("GET", `/v1/events/${eventId}`);
      if (!event.body.deliveries.every((d) => states.includes(d.status))) return undefined;
      return Promise.all(event.body.deliveries.map(async (d) => (await request<DeliveryView>("GET", `/v1/deliveries/${d.id}`)).body));
    },
    20_000,
    `deliveries of ${eventId} to reach ${states.join("/")}`,
  );
}

/** Checks a received delivery with the reference Standard Webhooks library; throws if it does not verify. */
export function verifyWebhook(secret: string, request: ReceivedRequest): unknown {
  return new Webhook(secret).verify(request.body, {
    "webhook-id": String(request.headers["webhook-id"]),
    "webhook-timestamp": String(request.headers["webhook-timestamp"]),
    "webhook-signature": String(request.headers["webhook-signature"]),
  });
}

/** Receivers started by one test file, closed together when it ends. */
export function receiverPool() {
  const started: Receiver[] = [];
  return {
    async start(reply?: ReplyFn): Promise<Receiver> {
      const receiver = await startReceiver(reply);
      started.push(receiver);
      return receiver;
    },
    closeAll: () => Promise.all(started.map((receiver) => receiver.close())),
  };
}
