import { AppError, eventTypeProblem, type FieldProblem } from "@hookline/core";
import type { TenantScope } from "@hookline/db";
import { checkPublish, publishLookups } from "./registry-rules.js";

/** What admission looks at of an event. */
export interface EventToAdmit {
  readonly eventType: string;
  readonly data: unknown;
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
 * registry says, strict mode, an archived type, the type's JSON Schema (422). The registry is
 * read once for all the events. In a batch, a problem names its event (`events.<i>.…`) and one
 * bad event refuses them all. Returns whether any of their types is deprecated.
 */
export async function admitEvents(
  scope: TenantScope,
  events: readonly EventToAdmit[],
  options: { batch: boolean },
): Promise<{ deprecated: boolean }> {
  const lookups = publishLookups(
    scope,
    events.map((event) => event.eventType),
  );
  const deprecated = await Promise.all(
    events.map(async (event, i) => {
      try {
        const problem = eventTypeProblem(event.eventType, false);
        if (problem) throw AppError.validation([{ field: "event_type", message: problem }]);
        return (await checkPublish(lookups, event.eventType, event.data)).deprecated;
      } catch (error) {
        return within(options.batch ? `events.${i}.` : "", error);
      }
    }),
  );
  return { deprecated: deprecated.some(Boolean) };
}
