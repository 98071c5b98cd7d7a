import type { Outcome } from "@hookline/delivery";
import type { AttemptConsequence, HealthChange } from "./ports.js";

/*
 * Endpoint health, decided in one place. An endpoint's health is one column, `failing_since`:
 * the start of its current run of failed attempts, null when its last attempt delivered. From it
 * and the attempt just made follows everything: whether a run of failures starts or ends, and
 * whether the endpoint is disabled (a 410 Gone, or failures for `disableAfterMs`). The store only
 * applies what is decided here.
 */

/** The longest `last_error` a delivery keeps. */
const LAST_ERROR_MAX = 500;

/** A delivery's `last_error` after an attempt: its error kind and message, or null when it had none. */
export function lastErrorOf(attempt: {
  readonly errorKind?: string | undefined;
  readonly errorMessage?: string | undefined;
}): string | null {
  return attempt.errorKind ? `${attempt.errorKind}: ${attempt.errorMessage ?? ""}`.slice(0, LAST_ERROR_MAX) : null;
}

export const GONE_REASON = "receiver answered 410 Gone";

export function failingTooLongReason(since: Date): string {
  return `every attempt has failed since ${since.toISOString()}`;
}

/**
 * What the attempt means for its endpoint, given the run of failures the endpoint was in when
 * the delivery was read (`failingSince`). A failure that starts a run starts it at the attempt.
 */
export function healthChange(input: {
  readonly outcome: Outcome;
  readonly next: AttemptConsequence;
  readonly failingSince: Date | null;
  readonly startedAt: Date;
  readonly disableAfterMs: number;
  readonly now?: number;
}): HealthChange {
  const { outcome, next, failingSince, startedAt, disableAfterMs } = input;
  if (next.status === "succeeded") return failingSince === null ? { kind: "none" } : { kind: "recovered" };
  const since = failingSince ?? startedAt;
  if (outcome.kind === "gone") return { kind: "disable", since, reason: GONE_REASON };
  if ((input.now ?? Date.now()) - since.getTime() >= disableAfterMs) return { kind: "disable", since, reason: failingTooLongReason(since) };
  return failingSince === null ? { kind: "failing", since } : { kind: "none" };
}
