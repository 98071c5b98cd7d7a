import createClient from "openapi-fetch";
import type { Context, RawClient, RequestOptions } from "./context.js";
import type { paths } from "./generated/openapi.js";
import { Customers } from "./resources/customers.js";
import { Deliveries } from "./resources/deliveries.js";
import { Endpoints } from "./resources/endpoints.js";
import { EventTypes } from "./resources/event-types.js";
import { Events } from "./resources/events.js";
import { Inbound } from "./resources/inbound.js";
import { Listen } from "./resources/listen.js";
import { Stats } from "./resources/stats.js";
import { Subscriptions } from "./resources/subscriptions.js";
import { DEFAULT_MAX_RETRIES } from "./retry.js";
import { createTransport, type FetchFn } from "./transport.js";

export const DEFAULT_TIMEOUT_MS = 30_000;

export interface HooklineOptions {
  /** A tenant's API key (`key_….…`). Give this or `csrfToken`. */
  readonly apiKey?: string;
  /**
   * In a page signed in to the Hookline dashboard: the session's CSRF token. The browser's session
   * cookie authenticates; the token proves each change comes from the page itself.
   */
  readonly csrfToken?: string;
  /** Where the API answers, without `/v1`: `https://hookline.example.com`. */
  readonly baseUrl: string;
  /** The longest one attempt of a call may take; 30 s by default. */
  readonly timeoutMs?: number;
  /** Retries after a 429 or 503 (or no answer to a repeatable request); 2 by default, 0 for none. */
  readonly maxRetries?: number;
  /** The fetch to send requests with (the global one by default). */
  readonly fetch?: FetchFn;
}

/**
 * The Hookline API. Resources mirror its routes; lists are async iterators that follow the
 * cursor; every failure is a HooklineError. `raw` is the typed openapi-fetch client underneath,
 * for routes the resources do not cover, with the same authentication, timeout and retries.
 */
export class Hookline {
  readonly raw: RawClient;
  readonly endpoints: Endpoints;
  readonly subscriptions: Subscriptions;
  readonly events: Events;
  readonly deliveries: Deliveries;
  readonly eventTypes: EventTypes;
  readonly inbound: Inbound;
  readonly listen: Listen;
  readonly customers: Customers;
  readonly stats: Stats;

  constructor(options: HooklineOptions) {
    if (!options.apiKey === !options.csrfToken) throw new TypeError("Hookline: apiKey (or, in a dashboard page, csrfToken) is required");
    if (!options.baseUrl) throw new TypeError("Hookline: baseUrl is required");
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
    // Looked up at call time and called unbound: browsers reject a fetch called on another object.
    const fetch: FetchFn = options.fetch ?? ((request) => globalThis.fetch(request));
    const transport = (call: RequestOptions = {}) =>
      createTransport({ fetch, timeoutMs: call.timeoutMs ?? timeoutMs, maxRetries: call.maxRetries ?? maxRetries });

    this.raw = createClient<paths>({
      baseUrl: options.baseUrl,
      fetch: transport(),
      headers: options.apiKey ? { Authorization: `Bearer ${options.apiKey}` } : { "X-CSRF-Token": options.csrfToken },
    });
    const context: Context = {
      raw: this.raw,
      init: (call) => ({
        // Only a call that changes the timeout or retries needs a transport of its own.
        fetch: call?.timeoutMs === undefined && call?.maxRetries === undefined ? undefined : transport(call),
        signal: call?.signal,
      }),
    };
    this.endpoints = new Endpoints(context);
    this.subscriptions = new Subscriptions(context);
    this.events = new Events(context);
    this.deliveries = new Deliveries(context);
    this.eventTypes = new EventTypes(context);
    this.inbound = new Inbound(context);
    this.listen = new Listen(context);
    this.customers = new Customers(context);
    this.stats = new Stats(context);
  }
}
