/*
 * The records the delivery engine and its store exchange: what an attempt reads of a delivery,
 * and what it writes back. They are the vocabulary of both sides of the engine's work-store port
 * (@hookline/delivery-engine attempts, @hookline/db stores), so they live below both.
 *
 * Glossary:
 * - delivery: one event to one endpoint; its id is the `webhook-id` of every attempt.
 * - attempt: one HTTP request of a delivery, recorded with what the receiver answered.
 * - consequence: what an attempt means for its delivery (succeeded, pending until a time, failed).
 * - health change: what it means for its endpoint (a run of failures starts or ends, or the
 *   endpoint is disabled). Most attempts change nothing, and can be recorded in a group.
 * - held: a due delivery parked because its endpoint is paused or disabled; a resume releases it.
 */

/**
 * Which API created an endpoint, and so which body its deliveries carry (the payload-shape
 * registry of @hookline/delivery has one entry per flavour; the database enum one value each).
 */
export const ENDPOINT_FLAVOURS = ["standard", "monite", "momentus", "listen"] as const;
export type EndpointFlavour = (typeof ENDPOINT_FLAVOURS)[number];

/** OAuth 2.0 client credentials an endpoint authenticates its deliveries with. */
export interface OAuthClientCredentials {
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly scope: string | null;
}

/** A delivery as an attempt needs it: its state, its event and its endpoint, secrets opened. */
export interface DeliveryWork {
  readonly id: string;
  readonly tenantId: string;
  readonly status: "pending" | "held" | "succeeded" | "failed";
  readonly attemptCount: number;
  readonly event: {
    readonly id: string;
    readonly eventType: string;
    readonly createdAt: Date;
    readonly data: unknown;
    readonly objectId: string | null;
  };
  readonly endpoint: {
    readonly id: string;
    readonly name: string;
    readonly flavour: EndpointFlavour;
    readonly url: string;
    /** Opened: the current secret first, then any replaced by a rotation that are still in grace. */
    readonly secrets: readonly string[];
    readonly headers: Record<string, string>;
    readonly timeoutSeconds: number;
    readonly status: "ACTIVE" | "PAUSED" | "DISABLED" | "INACTIVE";
    /** Start of the endpoint's current run of failures, if it is in one. */
    readonly failingSince: Date | null;
    readonly oauth?: OAuthClientCredentials | undefined;
    /** Its deliveries carry a `traceparent` header (the attempt's span) while tracing is on. */
    readonly sendTraceparent?: boolean | undefined;
  };
}

export interface AttemptRecord {
  readonly deliveryId: string;
  readonly attemptNumber: number;
  readonly startedAt: Date;
  readonly durationMs: number;
  readonly statusCode?: number | undefined;
  readonly errorKind?: string | undefined;
  readonly errorMessage?: string | undefined;
  readonly responseHeaders?: Record<string, string> | undefined;
  readonly responseBody?: string | undefined;
  /** The delivery's `last_error` after this attempt (see lastErrorOf). */
  readonly lastError: string | null;
}

/** What an attempt means for its delivery. */
export type AttemptConsequence =
  { readonly status: "succeeded" } | { readonly status: "pending"; readonly nextAttemptAt: Date } | { readonly status: "failed" };

/** What an attempt means for its endpoint (decided by endpoint-health.ts, applied by the store). */
export type HealthChange =
  /** Nothing: the usual case for healthy and failing endpoints alike. */
  | { readonly kind: "none" }
  /** The first failure after a success: the endpoint's run of failures starts at `since`. */
  | { readonly kind: "failing"; readonly since: Date }
  /** A success after failures: the run ends. */
  | { readonly kind: "recovered" }
  /** The endpoint is disabled for `reason` (it is in a run of failures from `since` on). */
  | { readonly kind: "disable"; readonly since: Date; readonly reason: string };

export interface RecordedAttempt {
  /** False when another worker recorded this attempt of the delivery first. */
  readonly recorded: boolean;
  /** Set when this attempt disabled an active endpoint. */
  readonly disabledEndpoint?: { readonly reason: string; readonly failingSince: Date | null; readonly disabledAt: Date } | undefined;
}

/** Reads deliveries and records what came of them (Postgres, through @hookline/db). */
export interface WorkStore {
  /** The delivery with its event and endpoint; undefined when it is gone. */
  load(deliveryId: string): Promise<DeliveryWork | undefined>;
  /** Parks a pending delivery whose endpoint is not active; a resume releases it. */
  hold(deliveryId: string): Promise<void>;
  /**
   * Records the attempt, the delivery's new state and the endpoint's health change together,
   * once: when another worker recorded this attempt number first, `recorded` is false.
   */
  record(attempt: AttemptRecord, next: AttemptConsequence, health: HealthChange, endpointId: string): Promise<RecordedAttempt>;
}
