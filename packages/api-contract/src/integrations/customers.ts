import type { Schema } from "ajv";
import { iso } from "../timestamps.js";

/** `/v1/customers`: the tenant's own customers, to whom its integrations are deployed. */

const name = { type: "string", minLength: 1, maxLength: 255, pattern: "\\S" };
const externalId = { type: ["string", "null"], minLength: 1, maxLength: 255 };

export interface CustomerBody {
  name: string;
  /** The tenant's id for the customer, unique per tenant: what a shared endpoint routes by. */
  external_id?: string | null;
}

export const createCustomerSchema: Schema = {
  type: "object",
  required: ["name"],
  additionalProperties: false,
  properties: { name, external_id: externalId },
};

export const updateCustomerSchema: Schema = {
  type: "object",
  additionalProperties: false,
  properties: { name, external_id: externalId },
};

export interface CustomerRecord {
  readonly id: string;
  readonly name: string;
  readonly externalId: string | null;
  readonly isTest: boolean;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface CustomerResponse {
  id: string;
  name: string;
  external_id: string | null;
  /** The built-in test customer: test invocations always run as it. */
  is_test: boolean;
  created_at: string;
  updated_at: string;
}

export function presentCustomer(customer: CustomerRecord): CustomerResponse {
  return {
    id: customer.id,
    name: customer.name,
    external_id: customer.externalId,
    is_test: customer.isTest,
    created_at: iso(customer.createdAt),
    updated_at: iso(customer.updatedAt),
  };
}
