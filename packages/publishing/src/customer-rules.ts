import { AppError, isId, type FieldProblem } from "@hookline/core";
import type { NamedCustomers, TenantScope } from "@hookline/db";

/** How an event names the customer it is for. */
export interface CustomerReference {
  readonly customerId?: string | null | undefined;
  readonly customerExternalId?: string | undefined;
}

const NONE: NamedCustomers = { ids: new Set(), byExternalId: new Map() };

/**
 * The tenant's customers among those the events name, asked once for all of them (and with other
 * publishes that arrive together), or not at all when none names one: publishing without a
 * customer costs nothing more than before.
 */
export function customerLookups(scope: TenantScope, events: readonly CustomerReference[]): Promise<NamedCustomers> {
  const ids = [...new Set(events.flatMap((event) => (event.customerId && isId("customer", event.customerId) ? [event.customerId] : [])))];
  const externalIds = [...new Set(events.flatMap((event) => (event.customerExternalId !== undefined ? [event.customerExternalId] : [])))];
  if (ids.length === 0 && externalIds.length === 0) return Promise.resolve(NONE);
  const found = scope.customers.forPublish(ids, externalIds);
  // Whoever awaits it sees a failure; if nobody does (every event refused first), it is not unhandled.
  found.catch(() => undefined);
  return found;
}

/** 404 in the one format, as for any id of something the tenant does not have (another tenant's included). */
export function customerNotFound(message: string, field: string): AppError {
  const details: FieldProblem[] = [{ field, message: "names no customer of this tenant" }];
  return new AppError({ status: 404, code: "not_found", message, details });
}

/**
 * The id of the customer an event is for, or null for none. Naming both ways at once is 400;
 * an id or external id the tenant has no customer for is 404.
 */
export async function customerOf(customers: Promise<NamedCustomers>, event: CustomerReference): Promise<string | null> {
  const { customerId, customerExternalId } = event;
  if (customerId && customerExternalId !== undefined) {
    throw AppError.validation([{ field: "customer_external_id", message: "cannot be given with customer_id: name the customer one way" }]);
  }
  if (customerId) {
    if (!(await customers).ids.has(customerId)) throw customerNotFound(`The customer ${customerId} was not found.`, "customer_id");
    return customerId;
  }
  if (customerExternalId !== undefined) {
    const id = (await customers).byExternalId.get(customerExternalId);
    if (id === undefined) {
      throw customerNotFound(`No customer has the external id ${customerExternalId}.`, "customer_external_id");
    }
    return id;
  }
  return null;
}
