/**
 * Per-endpoint fairness inside one worker process. An endpoint may have at most `maxInFlight`
 * attempts running at once, and only `slowMaxInFlight` while its recent attempts are slow: an
 * average of `slowAfterMs` or more, and several times the average of all endpoints, so that a
 * receiver that hangs until its timeout holds a couple of worker slots, while an overloaded
 * machine (every attempt slower) does not mistake every endpoint for a slow one. A delivery
 * turned away is deferred (its job delayed, no attempt recorded) for about as long as the
 * endpoint's attempts take, a few times longer if it is turned away again, so that waiting
 * deliveries do not spin.
 */
export interface EndpointGateOptions {
  readonly maxInFlight: number;
  readonly slowMaxInFlight: number;
  readonly slowAfterMs: number;
}

interface EndpointState {
  inFlight: number;
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

  constructor(private readonly options: EndpointGateOptions) {}

  private state(endpointId: string): EndpointState {
    let state = this.endpoints.get(endpointId);
    if (!state) this.endpoints.set(endpointId, (state = { inFlight: 0, averageMs: 0 }));
    return state;
  }

  /** The cap that applies to this endpoint now. */
  limit(endpointId: string): number {
    const state = this.endpoints.get(endpointId);
    const slow = state !== undefined && state.averageMs >= this.options.slowAfterMs && state.averageMs >= SLOWER_THAN_OTHERS * this.overallMs;
    return slow ? this.options.slowMaxInFlight : this.options.maxInFlight;
  }

  /** Takes a slot for a delivery to the endpoint; false when the endpoint is at its cap. */
  tryEnter(endpointId: string, deliveryId: string): boolean {
    const state = this.state(endpointId);
    if (state.inFlight >= this.limit(endpointId)) return false;
    state.inFlight++;
    this.deferrals.delete(deliveryId);
    return true;
  }

  /** Gives the slot back and learns how long the attempt took. */
  leave(endpointId: string, durationMs: number): void {
    const state = this.state(endpointId);
    state.inFlight = Math.max(0, state.inFlight - 1);
    state.averageMs = state.averageMs === 0 ? durationMs : state.averageMs * (1 - WEIGHT) + durationMs * WEIGHT;
    // Slower to move than one endpoint's average: it is the yardstick endpoints are judged by.
    this.overallMs = this.overallMs === 0 ? durationMs : this.overallMs * (1 - WEIGHT / 10) + durationMs * (WEIGHT / 10);
    if (state.inFlight === 0 && state.averageMs < this.options.slowAfterMs && this.endpoints.size > 10_000) this.endpoints.delete(endpointId);
  }

  /** How long to put off a delivery that was turned away: grows each time it is turned away again. */
  deferral(endpointId: string, deliveryId: string): number {
    const times = (this.deferrals.get(deliveryId) ?? 0) + 1;
    if (this.deferrals.size > 100_000) this.deferrals.clear();
    this.deferrals.set(deliveryId, times);
    const base = Math.max(MIN_DEFERRAL_MS, this.state(endpointId).averageMs);
    const jitter = 0.8 + Math.random() * 0.4;
    return Math.round(Math.min(MAX_DEFERRAL_MS, base * Math.min(times, MAX_DEFERRAL_STEPS) * jitter));
  }
}
