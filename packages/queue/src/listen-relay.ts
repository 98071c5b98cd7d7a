import { randomUUID } from "node:crypto";
import { Cluster } from "ioredis";
import type { RedisClient } from "./connection.js";

/**
 * `hookline listen` over Redis pub/sub. A worker attempting a delivery to a listen endpoint does
 * not send it over the network: it publishes the signed request on the endpoint's channel; the
 * API process holding the CLI's stream forwards it; the CLI posts it to its local URL and reports
 * the answer to the API, which publishes it on the delivery's result channel, where the worker is
 * waiting. Nothing here is stored: Postgres holds the deliveries, and an attempt whose answer does
 * not come back in time fails like any timed-out attempt, to be retried on schedule.
 */

/** A signed request for the CLI to post, exactly as a real endpoint would get it. */
export interface ListenRequest {
  readonly delivery_id: string;
  /** Distinguishes the answers of one delivery's attempts (a late answer to an old one is ignored). */
  readonly attempt_id: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** What the local URL answered, as the CLI reports it. */
export interface ListenResult {
  readonly attempt_id: string;
  readonly status_code?: number | undefined;
  readonly headers?: Record<string, string> | undefined;
  readonly body?: string | undefined;
  readonly duration_ms: number;
  /** The local server could not be reached (refused, timed out): the attempt failed without a status. */
  readonly error?: string | undefined;
}

const requestChannel = (prefix: string, endpointId: string) => `${prefix}:listen:request:${endpointId}`;
const resultChannel = (prefix: string, deliveryId: string) => `${prefix}:listen:result:${deliveryId}`;
const ownerKey = (prefix: string, endpointId: string) => `${prefix}:listen:owner:${endpointId}`;

export type ListenOutcome =
  { readonly ok: true; readonly result: ListenResult } | { readonly ok: false; readonly reason: "no_listener" | "timeout" };

/** The worker's side: publishes a request and waits for its result. One subscriber connection per process. */
export class ListenSender {
  private readonly waiting = new Map<string, (result: ListenResult) => void>();
  private subscribed: Promise<unknown> | undefined;

  constructor(
    private readonly publisher: RedisClient,
    private readonly subscriber: RedisClient,
    private readonly prefix: string,
  ) {
    subscriber.on("pmessage", (_pattern: string, _channel: string, message: string) => {
      let result: ListenResult;
      try {
        result = JSON.parse(message) as ListenResult;
      } catch {
        return;
      }
      this.waiting.get(result.attempt_id)?.(result);
    });
  }

  async send(endpointId: string, request: Omit<ListenRequest, "attempt_id">, timeoutMs: number): Promise<ListenOutcome> {
    // Subscribed before anything is published, so no answer can come back unheard.
    this.subscribed ??= this.subscriber.psubscribe(resultChannel(this.prefix, "*"));
    await this.subscribed;
    const attemptId = randomUUID();
    let timer: NodeJS.Timeout | undefined;
    const answered = new Promise<ListenOutcome>((resolve) => {
      this.waiting.set(attemptId, (result) => resolve({ ok: true, result }));
      timer = setTimeout(() => resolve({ ok: false, reason: "timeout" }), timeoutMs);
    });
    try {
      const receivers = await this.publisher.publish(
        requestChannel(this.prefix, endpointId),
        JSON.stringify({ ...request, attempt_id: attemptId }),
      );
      if (receivers === 0 && !(await this.ownedElsewhere(endpointId))) return { ok: false, reason: "no_listener" };
      return await answered;
    } finally {
      clearTimeout(timer);
      this.waiting.delete(attemptId);
    }
  }

  /**
   * On a cluster a message reaches the subscribers of every node, but PUBLISH counts only those of
   * the node it was sent to: none counted means no listener only if no API process owns the endpoint.
   */
  private async ownedElsewhere(endpointId: string): Promise<boolean> {
    return this.publisher instanceof Cluster && (await this.publisher.exists(ownerKey(this.prefix, endpointId))) === 1;
  }
}

/** One CLI's stream, as the API process holding it sees it. */
export interface ListenConnection {
  /** Hands a request to the CLI. */
  readonly forward: (request: ListenRequest) => void;
  /** Ends the stream because this process is stopping; the CLI reconnects, to this process or another. */
  readonly hangUp: () => void;
  /** After the stream closed: told whether this connection still owned the endpoint (nobody took it over). */
  readonly released: (owned: boolean) => Promise<void>;
}

/** The API's side: forwards an endpoint's requests to the CLI connected here, and publishes its answers. */
export class ListenHub {
  private readonly handlers = new Map<string, (request: ListenRequest) => void>();
  /** Each stream held here, with what resolves once it has been released after closing. */
  private readonly open = new Map<ListenConnection, Promise<void>>();

  constructor(
    private readonly publisher: RedisClient,
    private readonly subscriber: RedisClient,
    private readonly prefix: string,
  ) {
    subscriber.on("message", (channel: string, message: string) => {
      const endpointId = channel.slice(requestChannel(this.prefix, "").length);
      try {
        this.handlers.get(endpointId)?.(JSON.parse(message) as ListenRequest);
      } catch {
        // Not a request of ours: ignored.
      }
    });
  }

  /**
   * A CLI connected for this endpoint: it becomes the endpoint's owner (a newer connection, here or
   * on another API process, takes over), and its requests are handed to `forward`. Returns what to
   * call when the stream closes.
   */
  async attach(endpointId: string, connection: ListenConnection): Promise<() => Promise<void>> {
    const token = randomUUID();
    let detached!: () => void;
    this.open.set(connection, new Promise<void>((resolve) => (detached = resolve)));
    try {
      await this.publisher.set(ownerKey(this.prefix, endpointId), token);
      this.handlers.set(endpointId, connection.forward);
      await this.subscriber.subscribe(requestChannel(this.prefix, endpointId));
    } catch (error) {
      if (this.handlers.get(endpointId) === connection.forward) this.handlers.delete(endpointId);
      this.open.delete(connection);
      throw error;
    }
    const detach = async () => {
      if (this.handlers.get(endpointId) === connection.forward) {
        this.handlers.delete(endpointId);
        await this.subscriber.unsubscribe(requestChannel(this.prefix, endpointId)).catch(() => undefined);
      }
      // Only the owner releases: a CLI that reconnected elsewhere meanwhile keeps the endpoint running.
      const released = await this.publisher.eval(
        `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`,
        1,
        ownerKey(this.prefix, endpointId),
        token,
      );
      await connection.released(released === 1);
    };
    return () =>
      detach().finally(() => {
        this.open.delete(connection);
        detached();
      });
  }

  /** The CLI's answer to one attempt, to the worker waiting for it. */
  async answer(deliveryId: string, result: ListenResult): Promise<void> {
    await this.publisher.publish(resultChannel(this.prefix, deliveryId), JSON.stringify(result));
  }

  /** Stopping: ends every stream held here and waits until each has been released. */
  async close(): Promise<void> {
    const releases = [...this.open.values()];
    for (const connection of this.open.keys()) connection.hangUp();
    await Promise.all(releases);
  }
}
