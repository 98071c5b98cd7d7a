/**
 * Per-endpoint fairness inside one worker process. An endpoint may have at most `maxInFlight`
 * attempts running at once, and only `slowMaxInFlight` while it is slow: its recent attempts
 * averaged `slowAfterMs` or more, or one of its running attempts has already taken that long,
 * and in either case several times the average of all endpoints. So a receiver that hangs until
 * its timeout holds a couple of worker slots from the moment its first attempt has hung for a
 * second, not only once attempts have timed out, while an overloaded machine (every attempt
 * slower) does not mistake every endpoint for a slow one. A delivery turned away is deferred (its
 * job delayed, no attempt recorded) for about as long as the endpoint's attempts take, a few
 * times longer if it is turned away again, so that waiting deliveries do not spin.
 */
export interface EndpointGateOptions {
  readonly maxInFlight: number;
  readonly slowMaxInFlight: number;
  readonly slowAfterMs: number;
  /** A monotonic clock in ms; tests pass their own. */
  readonly now?: () => number;
}

interface EndpointState {
  /** When each running attempt started, by delivery id. */
  readonly running: Map<string, number>;
  /** Exponentially weighted average of attempt durations, in ms. */
  averageMs: number;
}

const WEIGHT = 0.2;
/** Slow means this many times the average attempt of all endpoints, as well as over the threshold. */
const SLOWER_THAN_OTHERS = 4;
const MIN_DEFERRAL_MS = 50;
const MAX_DEFERRAL_MS = 60_000;
/** A delivery turned away again waits up to this many times the endpoint's attempt duration. */
const MAX_DEFERRAL_STEPS = 4;

export class EndpointGate {
  private readonly endpoints = new Map<string, EndpointState>();
  private readonly deferrals = new Map<string, number>();
  /** Average attempt duration over every endpoint of this process. */
  private overallMs = 0;

  private readonly now: () => number;

  constructor(private readonly options: EndpointGateOptions) {
    this.now = options.now ?? (() => performance.now());
  }

  private state(endpointId: string): EndpointState {
    let state = this.endpoints.get(endpointId);
    if (!state) this.endpoints.set(endpointId, (state = { running: new Map(), averageMs: 0 }));
    return state;
  }

  /** How long the endpoint's longest-running attempt has been running, in ms (0 when none is). */
  private longestRunningMs(state: EndpointState): number {
    let oldest = Number.POSITIVE_INFINITY;
    for (const startedAt of state.running.values()) oldest = Math.min(oldest, startedAt);
    return oldest === Number.POSITIVE_INFINITY ? 0 : this.now() - oldest;
  }

  /** The cap that applies to this endpoint now. */
  limit(endpointId: string): number {
    const state = this.endpoints.get(endpointId);
    if (state === undefined) return this.options.maxInFlight;
    const threshold = Math.max(this.options.slowAfterMs, SLOWER_THAN_OTHERS * this.overallMs);
    const slow = state.averageMs >= threshold || this.longestRunningMs(state) >= threshold;
    return slow ? this.options.slowMaxInFlight : this.options.maxInFlight;
  }

  /** Takes a slot for a delivery to the endpoint; false when the endpoint is at its cap. */
  tryEnter(endpointId: string, deliveryId: string): boolean {
    const state = this.state(endpointId);
    if (state.running.size >= this.limit(endpointId)) return false;
    state.running.set(deliveryId, this.now());
    this.deferrals.delete(deliveryId);
    return true;
  }

  /** Gives the delivery's slot back and learns how long its attempt took. */
  leave(endpointId: string, deliveryId: string): void {
    const state = this.state(endpointId);
    const startedAt = state.running.get(deliveryId);
    if (startedAt === undefined) return;
    state.running.delete(deliveryId);
    const durationMs = this.now() - startedAt;
    state.averageMs = state.averageMs === 0 ? durationMs : state.averageMs * (1 - WEIGHT) + durationMs * WEIGHT;
    // Slower to move than one endpoint's average: it is the yardstick endpoints are judged by.
    this.overallMs = this.overallMs === 0 ? durationMs : this.overallMs * (1 - WEIGHT / 10) + durationMs * (WEIGHT / 10);
    if (state.running.size === 0 && state.averageMs < this.options.slowAfterMs && this.endpoints.size > 10_000) this.endpoints.delete(endpointId);
  }

  /** How long to put off a delivery that was turned away: grows each time it is turned away again. */
  deferral(endpointId: string, deliveryId: string): number {
    const times = (this.deferrals.get(deliveryId) ?? 0) + 1;
    if (this.deferrals.size > 100_000) this.deferrals.clear();
    this.deferrals.set(deliveryId, times);
    // An endpoint whose first attempts hang has no finished attempt to go by yet: the time its
    // running attempts have taken so far is the better guess, and keeps waiting deliveries from
    // polling every few milliseconds.
    const state = this.state(endpointId);
    const base = Math.max(MIN_DEFERRAL_MS, state.averageMs, this.longestRunningMs(state));
    const jitter = 0.8 + Math.random() * 0.4;
    return Math.round(Math.min(MAX_DEFERRAL_MS, base * Math.min(times, MAX_DEFERRAL_STEPS) * jitter));
  }
}
