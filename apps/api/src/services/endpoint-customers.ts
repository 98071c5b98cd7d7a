import { endpointListQuerySchema, type EndpointListQuery } from "@hookline/api-contract";
import { AppError, isId } from "@hookline/core";
import type { CustomerRefusal, EndpointFilter } from "@hookline/db";
import type { Request } from "express";
import { validator } from "../http/validation.js";

/*
 * `customer_id` on endpoints, the same for every flavour's routes: a body may name the customer an
 * endpoint belongs to (null: none), a list may be narrowed to one customer's.
 */

const parseListQuery = validator<EndpointListQuery>(endpointListQuerySchema, "query");

const customerNotFound = (customerId: string | null | undefined) =>
  new AppError({
    status: 404,
    code: "not_found",
    message: `${`The customer ${customerId ?? ""}`.trim()} was not found.`,
    details: [{ field: "customer_id", message: "names no customer of this tenant" }],
  });

/** The customer a body names: an id that cannot be a customer's is 404 before any query, as every foreign id is. */
export function customerOfBody(customerId: string | null | undefined): string | null | undefined {
  if (typeof customerId === "string" && !isId("customer", customerId)) throw customerNotFound(customerId);
  return customerId;
}

/** `?customer_id=` of a list: only that customer's endpoints. */
export function endpointFilter(req: Request): EndpointFilter {
  const { customer_id: customerId } = parseListQuery(req.query);
  return { customerId };
}

/** Throws the answer to a refused write about the customer; other refusals are the route's. */
export function refuseCustomer<T>(result: T, customerId: string | null | undefined): Exclude<T, CustomerRefusal> {
  if (result === "customer_not_found") throw customerNotFound(customerId);
  if (result === "customer_not_allowed") {
    throw AppError.validation([{ field: "customer_id", message: "cannot be set on a listen endpoint, which is a developer's session" }]);
  }
  return result as Exclude<T, CustomerRefusal>;
}
