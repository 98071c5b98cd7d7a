/**
 * Per-endpoint fairness inside one worker process. An endpoint may have at most `maxInFlight`
 * attempts running at once. It starts at `slowMaxInFlight` and earns one more slot with each
 * attempt that finishes (slow start), so a receiver that hangs from its first request never
 * holds more than a couple of slots, however many such endpoints there are. It is held to
 * `slowMaxInFlight` while it is slow: its recent attempts averaged `slowAfterMs` or more, or one
 * of its running attempts has already taken that long, and in either case several times the
 * average of all endpoints. So a receiver that hangs until
 * its timeout holds a couple of worker slots from the moment its first attempt has hung for a
 * second, not only once attempts have timed out, while an overloaded machine (every attempt
 * slower) does not mistake every endpoint for a slow one. A delivery turned away is deferred (its
 * job delayed, no attempt recorded) for about as long as the endpoint's attempts take, a few
 * times longer if it is turned away again, and at least as long as the deliveries waiting ahead
 * of it need to go through the endpoint's slots: so the deliveries waiting for one busy endpoint
 * come back about as often as it can take them, however long its backlog, and do not crowd the
 * queue that every other endpoint shares.
 *
 * An endpoint whose last `failingAfter` attempts in this process all failed is failing: it gets
 * one attempt at a time, at most one every `probeSpacingMs`, and the deliveries it turns away
 * wait their turn like any backlog. So a receiver that is down costs a couple of attempts a second, not
 * every due retry of every delivery it has; and the first success lets the waiting deliveries go
 * at once (leave() returns them, for the worker to release from BullMQ's delayed set).
 */
export interface EndpointGateOptions {
  readonly maxInFlight: number;
  readonly slowMaxInFlight: number;
  readonly slowAfterMs: number;
  /** Failed attempts in a row after which an endpoint is failing. */
  readonly failingAfter: number;
  /** A failing endpoint gets at most one attempt this often, in ms. */
  readonly probeSpacingMs: number;
  /** A monotonic clock in ms; tests pass their own. */
  readonly now?: () => number;
}

interface EndpointState {
  /** When each running attempt started, by delivery id. */
  readonly running: Map<string, number>;
  /**
   * Deliveries turned away and not yet let in: how often, until when they were put off, and
   * their place in line (a ticket numbered from `issued` when first turned away).
   */
  readonly waiting: Map<string, { times: number; until: number; ticket: number }>;
  /** Tickets handed out, and waiting deliveries that have since left the line (let in or forgotten). */
  issued: number;
  left: number;
  /** When `waiting` was last cleared of deliveries that never came back (another worker took them). */
  prunedAt: number;
  /** Attempts finished in this process, up to maxInFlight: the slow start's progress. */
  finished: number;
  /** Exponentially weighted average of attempt durations, in ms. */
  averageMs: number;
  /** Attempts in a row, in this process, that did not deliver. */
  failures: number;
  /** When the last attempt started. */
  lastStartAt: number;
}

const WEIGHT = 0.2;
/** Slow means this many times the average attempt of all endpoints, as well as over the threshold. */
const SLOWER_THAN_OTHERS = 4;
const MIN_DEFERRAL_MS = 50;
const MAX_DEFERRAL_MS = 60_000;
/** A delivery turned away again waits up to this many times the endpoint's attempt duration. */
const MAX_DEFERRAL_STEPS = 4;
/** A waiting delivery not seen again this long after its deferral ended has gone elsewhere. */
const WAITING_FORGOTTEN_AFTER_MS = 10_000;
const MAX_WAITING_TRACKED = 100_000;
/** The share of the line's estimated wait that a waiting delivery is put off for. */
const BACKLOG_SHARE = 0.5;
/** At most this many waiting deliveries are released at once when a failing endpoint recovers. */
const MAX_RELEASED = 1_000;

export class EndpointGate {
  private readonly endpoints = new Map<string, EndpointState>();
  /** Average attempt duration over every endpoint of this process. */
  private overallMs = 0;

  private readonly now: () => number;
  private readonly failingAfter: number;
  private readonly probeSpacingMs: number;

  /** Every threshold comes from the configuration (packages/config), where the defaults stand. */
  constructor(private readonly options: EndpointGateOptions) {
    this.now = options.now ?? (() => performance.now());
    this.failingAfter = options.failingAfter;
    this.probeSpacingMs = options.probeSpacingMs;
  }

  private state(endpointId: string): EndpointState {
    let state = this.endpoints.get(endpointId);
    if (!state)
      this.endpoints.set(
        endpointId,
        (state = {
          running: new Map(),
          waiting: new Map(),
          issued: 0,
          left: 0,
          prunedAt: this.now(),
          finished: 0,
          averageMs: 0,
          failures: 0,
          lastStartAt: Number.NEGATIVE_INFINITY,
        }),
      );
    return state;
  }

  /** Is the endpoint in a run of failed attempts (in this process)? */
  private failing(state: EndpointState): boolean {
    return state.failures >= this.failingAfter;
  }

  /** How long the endpoint's longest-running attempt has been running, in ms (0 when none is). */
  private longestRunningMs(state: EndpointState): number {
    let oldest = Number.POSITIVE_INFINITY;
    for (const startedAt of state.running.values()) oldest = Math.min(oldest, startedAt);
    return oldest === Number.POSITIVE_INFINITY ? 0 : this.now() - oldest;
  }

  /** The cap that applies to this endpoint now. */
  limit(endpointId: string): number {
    const { maxInFlight, slowMaxInFlight } = this.options;
    const state = this.endpoints.get(endpointId);
    if (state === undefined) return Math.min(maxInFlight, slowMaxInFlight);
    if (this.failing(state)) return 1;
    const threshold = Math.max(this.options.slowAfterMs, SLOWER_THAN_OTHERS * this.overallMs);
    const slow = state.averageMs >= threshold || this.longestRunningMs(state) >= threshold;
    return Math.min(maxInFlight, slowMaxInFlight + (slow ? 0 : state.finished));
  }

  /** Takes a slot for a delivery to the endpoint; false when the endpoint is at its cap. */
  tryEnter(endpointId: string, deliveryId: string): boolean {
    const state = this.state(endpointId);
    if (state.running.size >= this.limit(endpointId)) return false;
    const now = this.now();
    if (this.failing(state) && now - state.lastStartAt < this.probeSpacingMs) return false;
    state.lastStartAt = now;
    state.running.set(deliveryId, now);
    if (state.waiting.delete(deliveryId)) state.left++;
    return true;
  }

  /**
   * Gives the delivery's slot back and learns how long its attempt took and whether it
   * delivered. Returns the deliveries that were waiting for a failing endpoint that has just
   * delivered again: they need not wait out their deferrals.
   */
  leave(endpointId: string, deliveryId: string, delivered = true): string[] {
    const state = this.state(endpointId);
    const startedAt = state.running.get(deliveryId);
    if (startedAt === undefined) return [];
    state.running.delete(deliveryId);
    let released: string[] = [];
    if (delivered && this.failing(state)) {
      released = [...state.waiting.keys()].slice(0, MAX_RELEASED);
      for (const id of released) state.waiting.delete(id);
      state.left += released.length;
    }
    state.failures = delivered ? 0 : state.failures + 1;
    state.finished = Math.min(this.options.maxInFlight, state.finished + 1);
    const durationMs = this.now() - startedAt;
    state.averageMs = state.averageMs === 0 ? durationMs : state.averageMs * (1 - WEIGHT) + durationMs * WEIGHT;
    // Slower to move than one endpoint's average: it is the yardstick endpoints are judged by.
    this.overallMs = this.overallMs === 0 ? durationMs : this.overallMs * (1 - WEIGHT / 10) + durationMs * (WEIGHT / 10);
    if (
      state.running.size === 0 &&
      state.waiting.size === 0 &&
      state.failures === 0 &&
      state.averageMs < this.options.slowAfterMs &&
      this.endpoints.size > 10_000
    ) {
      this.endpoints.delete(endpointId);
    }
    return released;
  }

  /** How long to put off a delivery that was turned away: grows each time it is turned away again. */
  deferral(endpointId: string, deliveryId: string): number {
    const state = this.state(endpointId);
    const now = this.now();
    if (now - state.prunedAt >= 1_000) {
      state.prunedAt = now;
      for (const [id, { until }] of state.waiting) {
        if (now - until > WAITING_FORGOTTEN_AFTER_MS && state.waiting.delete(id)) state.left++;
      }
    }
    const known = state.waiting.get(deliveryId);
    const times = (known?.times ?? 0) + 1;
    const ticket = known?.ticket ?? state.issued++;
    // An endpoint whose first attempts hang has no finished attempt to go by yet: the time its
    // running attempts have taken so far is the better guess, and keeps waiting deliveries from
    // polling every few milliseconds.
    const attemptMs = Math.max(
      MIN_DEFERRAL_MS,
      state.averageMs,
      this.longestRunningMs(state),
      this.failing(state) ? this.probeSpacingMs : 0,
    );
    // Those ahead of it in line go through the endpoint's slots first, a slot-full at a time.
    // Roughly first come, first served: its place is its ticket less those that have left.
    // Half that estimate: other worker processes serve the same line, and a slot left idle
    // costs more than a delivery that comes back once more than it needed to.
    const ahead = Math.max(0, ticket - state.left);
    const backlogMs = (BACKLOG_SHARE * (ahead + 1) * attemptMs) / this.limit(endpointId);
    const jitter = 0.8 + Math.random() * 0.4;
    const delay = Math.round(Math.min(MAX_DEFERRAL_MS, Math.max(attemptMs * Math.min(times, MAX_DEFERRAL_STEPS), backlogMs) * jitter));
    // Bounded memory: past this many, further deliveries are timed as if first turned away.
    if (known || state.waiting.size < MAX_WAITING_TRACKED) state.waiting.set(deliveryId, { times, until: now + delay, ticket });
    else state.left++;
    return delay;
  }
}
