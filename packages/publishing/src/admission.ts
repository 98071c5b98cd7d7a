import { AppError, eventTypeProblem, type FieldProblem } from "@hookline/core";
import type { TenantScope } from "@hookline/db";
import { customerLookups, customerOf } from "./customer-rules.js";
import { checkPublish, publishLookups } from "./registry-rules.js";

/** What admission looks at of an event. */
export interface EventToAdmit {
  readonly eventType: string;
  readonly data: unknown;
  /** The customer it is for, by Hookline's id or by the tenant's external id (at most one of them). */
  readonly customerId?: string | null | undefined;
  readonly customerExternalId?: string | undefined;
}

/** Re-labels the problems of one event of a batch under `events.<i>.`, so a client can find it. */
function within(prefix: string, error: unknown): never {
  if (error instanceof AppError && prefix !== "") {
    const details: FieldProblem[] = error.details.map((d) => ({ ...d, field: `${prefix}${d.field}` }));
    throw new AppError({ status: error.status, code: error.code, message: error.message, details });
  }
  throw error;
}

/**
 * The checks every event a tenant publishes passes before anything is written, whoever publishes
 * it: a well-formed type name (400), not one of Hookline's own types, and what the tenant's
 * registry says, strict mode, an archived type, the type's JSON Schema (422); and the customer it
 * names, if any, one of the tenant's (404, see customer-rules.ts). The registry, and the customers
 * if any are named, are read once for all the events, at the same time. In a batch, a problem
 * names its event (`events.<i>.…`) and one bad event refuses them all. Returns whether any of
 * their types is deprecated, and each event's customer id (null: none).
 */
export async function admitEvents(
  scope: TenantScope,
  events: readonly EventToAdmit[],
  options: { batch: boolean },
): Promise<{ deprecated: boolean; customerIds: (string | null)[] }> {
  const lookups = publishLookups(
    scope,
    events.map((event) => event.eventType),
  );
  const customers = customerLookups(scope, events);
  const admitted = await Promise.all(
    events.map(async (event, i) => {
      try {
        const problem = eventTypeProblem(event.eventType, false);
        if (problem) throw AppError.validation([{ field: "event_type", message: problem }]);
        const customerId = await customerOf(customers, event);
        return { deprecated: (await checkPublish(lookups, event.eventType, event.data)).deprecated, customerId };
      } catch (error) {
        return within(options.batch ? `events.${i}.` : "", error);
      }
    }),
  );
  return { deprecated: admitted.some((event) => event.deprecated), customerIds: admitted.map((event) => event.customerId) };
}
