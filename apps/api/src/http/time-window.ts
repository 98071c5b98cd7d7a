import type { CreatedWindowQuery } from "@hookline/api-contract";
import { AppError } from "@hookline/core";

/** A list's `since`/`until` (already checked as date-times) as dates; a window that ends before it starts is a mistake, not an empty list. */
export function createdWindow(query: CreatedWindowQuery): { since?: Date; until?: Date } {
  const since = query.since === undefined ? undefined : new Date(query.since);
  const until = query.until === undefined ? undefined : new Date(query.until);
  if (since !== undefined && until !== undefined && since > until) {
    throw AppError.validation([{ field: "until", message: "must not be before since" }]);
  }
  return { ...(since && { since }), ...(until && { until }) };
}
