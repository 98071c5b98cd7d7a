import type { TraceSpan, Tracing } from "@hookline/core";
import { batcher, isDatabaseUnavailable, type NewEvent, type PublishResult, type TenantScope } from "@hookline/db";
import type { Scheduler } from "@hookline/queue";
import { committedDeliveries, scheduleTraced } from "./committed.js";

export interface PublishGroupOptions {
  readonly scheduler: Scheduler;
  /** Tracing, when on: each traced publish's deliveries carry its trace into their jobs. */
  readonly tracing?: Tracing | undefined;
  readonly idempotencyWindowMs: number;
  /** Most events written by one statement. */
  readonly maxGroup?: number;
  /** Most groups being written at once (each holds a database connection). */
  readonly maxConcurrent?: number;
}

interface PublishRequest {
  readonly scope: TenantScope;
  readonly input: NewEvent;
  /** Whether its publisher makes the first attempt of synchronous deliveries itself (see dueDeliveries). */
  readonly attemptsSynchronousItself: boolean;
  /** The publish's span, when tracing is on. */
  readonly trace: TraceSpan | undefined;
}

type Settled = { readonly ok: true; readonly result: PublishResult } | { readonly ok: false; readonly error: unknown };

/**
 * Splits requests into the groups one statement can write: one tenant each, and no idempotency
 * key twice (the batch statement claims every key of its group at once). Keeps each request's
 * index so answers go back to the right caller.
 */
function groupsOf(requests: readonly PublishRequest[]): { scope: TenantScope; indexes: number[]; keys: Set<string> }[] {
  const groups: { scope: TenantScope; indexes: number[]; keys: Set<string> }[] = [];
  const open = new Map<string, (typeof groups)[number]>();
  requests.forEach((request, index) => {
    const key = request.input.idempotencyKey;
    let group = open.get(request.scope.tenantId);
    if (!group || (key !== undefined && group.keys.has(key))) {
      group = { scope: request.scope, indexes: [], keys: new Set() };
      groups.push(group);
      open.set(request.scope.tenantId, group);
    }
    group.indexes.push(index);
    if (key !== undefined) group.keys.add(key);
  });
  return groups;
}

/**
 * Group commit for `POST /v1/events`: single-event publishes that arrive while earlier ones are
 * being written (or in the same tick) are written together, one statement per tenant, and their
 * deliveries enqueued with one bulk add. Each caller still gets its own answer: the events,
 * deliveries and idempotency claims are exactly what a publish of its own would write. At low
 * load a publish is a group of one and waits for nothing; under load the database and Redis see
 * one round trip for many requests instead of one each.
 *
 * A group's failure is never another request's failure: when a group's statement fails, each of
 * its events is written again alone, and only the ones that fail alone fail. (Unless the
 * database is unreachable: then every request in the group gets that answer at once.)
 */
export function publishGroups(
  options: PublishGroupOptions,
): (
  scope: TenantScope,
  input: NewEvent,
  publisher: { attemptsSynchronousItself: boolean; trace?: TraceSpan | undefined },
) => Promise<PublishResult> {
  const { tracing } = options;
  const publishOptions = { idempotencyWindowMs: options.idempotencyWindowMs };
  const alone = (scope: TenantScope, input: NewEvent): Promise<Settled> =>
    scope.events.publishBatch([input], publishOptions).then(
      ([result]) => ({ ok: true, result: result! }),
      (error: unknown) => ({ ok: false, error }),
    );

  const write = async (scope: TenantScope, inputs: readonly NewEvent[]): Promise<Settled[]> => {
    if (inputs.length === 1) return [await alone(scope, inputs[0]!)];
    try {
      return (await scope.events.publishBatch(inputs, publishOptions)).map((result) => ({ ok: true, result }));
    } catch (error) {
      // Unreachable is everyone's answer (503): a hundred single statements would only add to
      // the load of a database that is struggling already.
      if (isDatabaseUnavailable(error)) return inputs.map(() => ({ ok: false, error }));
      return Promise.all(inputs.map((input) => alone(scope, input)));
    }
  };

  const publishAll = batcher<PublishRequest, Settled>(
    async (requests) => {
      const settled: Settled[] = [];
      await Promise.all(
        groupsOf(requests).map(async ({ scope, indexes }) => {
          const outcomes = await write(
            scope,
            indexes.map((i) => requests[i]!.input),
          );
          indexes.forEach((index, j) => (settled[index] = outcomes[j]!));
        }),
      );
      // The API answering POST /v1/events makes a synchronous webhook's first attempt itself, once
      // the event is written; a workflow's publish leaves it to the queue.
      for (const attemptsSynchronousItself of [true, false]) {
        const publisher = { attemptsSynchronousItself };
        const picked = (s: Settled, i: number) => s.ok && requests[i]!.attemptsSynchronousItself === attemptsSynchronousItself;
        if (tracing) {
          const publishes = settled.flatMap((s, i) =>
            s.ok && picked(s, i) ? [{ deliveries: committedDeliveries([s.result]), trace: requests[i]!.trace }] : [],
          );
          if (publishes.length > 0) await scheduleTraced(options.scheduler, tracing, publishes, publisher);
          continue;
        }
        const published = settled.flatMap((s, i) => (s.ok && picked(s, i) ? [s.result] : []));
        if (published.length > 0) await options.scheduler.published(committedDeliveries(published), publisher);
      }
      return settled;
    },
    { maxBatch: options.maxGroup ?? 100, maxConcurrent: options.maxConcurrent ?? 4 },
  );

  return async (scope, input, publisher) => {
    const outcome = await publishAll({
      scope,
      input,
      attemptsSynchronousItself: publisher.attemptsSynchronousItself,
      trace: publisher.trace,
    });
    if (!outcome.ok) throw outcome.error;
    return outcome.result;
  };
}
