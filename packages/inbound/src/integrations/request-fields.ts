import type { RequestField } from "@hookline/core";

/**
 * Values a call carries for routing: a header (names compared in lower case, whatever case the
 * configuration or the caller used) or a dotted path into the JSON payload (`order.customer.id`).
 */

export function headerValue(headers: readonly (readonly [string, string])[], name: string): string | undefined {
  const wanted = name.toLowerCase();
  return headers.find(([header]) => header === wanted)?.[1];
}

/** The JSON body, or undefined when there is none or it is not JSON. */
export function parsePayload(body: string): unknown {
  if (body.trim() === "") return undefined;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

/** The value at a dotted path of an object (own properties only), or undefined. */
export function valueAt(value: unknown, path: string): unknown {
  let current = value;
  for (const key of path.split(".")) {
    if (typeof current !== "object" || current === null || !Object.prototype.hasOwnProperty.call(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** A routing value as text: strings as they are, numbers written out; anything else is no value. */
function asText(value: unknown): string | undefined {
  if (typeof value === "string" && value.length > 0) return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return undefined;
}

/** The field's value, from its header if it names one and the call has it, else from its payload path. */
export function fieldValue(
  field: RequestField | undefined,
  headers: readonly (readonly [string, string])[],
  payload: unknown,
): string | undefined {
  if (!field) return undefined;
  const fromHeader = field.header === undefined ? undefined : headerValue(headers, field.header);
  if (fromHeader !== undefined && fromHeader !== "") return fromHeader;
  return field.payload === undefined ? undefined : asText(valueAt(payload, field.payload));
}

export { asText as routingText };
