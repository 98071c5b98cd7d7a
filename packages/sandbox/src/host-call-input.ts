import type { SandboxLimits } from "./limits.js";
import type { HostCallRequest } from "./protocol.js";
import type { FetchInput, PublishInput } from "./types.js";
import type { HostCallKind } from "./host-functions.js";

export type ParsedHostCall = { ok: true; request: HostCallRequest } | { ok: false; message: string };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
const isPairs = (value: unknown): value is [string, string][] =>
  Array.isArray(value) &&
  value.every((pair) => Array.isArray(pair) && pair.length === 2 && typeof pair[0] === "string" && typeof pair[1] === "string");

/**
 * Checks what the prelude sent for a host call (it runs in the tenant's realm, so its output is
 * checked like anything else from the sandbox) and builds the request for the main thread.
 * Payloads are limited to responseBytes: the same order of size as anything else that leaves.
 */
export function parseHostCall(kind: HostCallKind, payload: string, limits: SandboxLimits, remainingMs: number): ParsedHostCall {
  if (Buffer.byteLength(payload, "utf8") > limits.responseBytes) {
    return { ok: false, message: `utils.${kind}: the request is larger than ${limits.responseBytes} bytes` };
  }
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return { ok: false, message: `utils.${kind}: the request could not be read` };
  }
  if (!isRecord(value)) return { ok: false, message: `utils.${kind}: the request could not be read` };

  if (kind === "publish") {
    const { event_type: eventType, data, object_id: objectId, idempotency_key: idempotencyKey } = value;
    const { customer_id: customerId, customer_external_id: customerExternalId } = value;
    if (typeof eventType !== "string" || eventType === "")
      return { ok: false, message: "utils.publish: event_type must be a non-empty string" };
    if (objectId !== undefined && typeof objectId !== "string") return { ok: false, message: "utils.publish: object_id must be a string" };
    if (idempotencyKey !== undefined && typeof idempotencyKey !== "string")
      return { ok: false, message: "utils.publish: idempotency_key must be a string" };
    if (customerId !== undefined && typeof customerId !== "string")
      return { ok: false, message: "utils.publish: customer_id must be a string" };
    if (customerExternalId !== undefined && typeof customerExternalId !== "string")
      return { ok: false, message: "utils.publish: customer_external_id must be a string" };
    const input: PublishInput = { event_type: eventType, data };
    if (objectId !== undefined) input.object_id = objectId;
    if (idempotencyKey !== undefined) input.idempotency_key = idempotencyKey;
    if (customerId !== undefined) input.customer_id = customerId;
    if (customerExternalId !== undefined) input.customer_external_id = customerExternalId;
    return { ok: true, request: { kind: "publish", input } };
  }

  const { url, method, headers, body } = value;
  if (typeof url !== "string") return { ok: false, message: "utils.fetch: the url must be a string" };
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    return { ok: false, message: "utils.fetch: invalid URL" };
  }
  if (protocol !== "http:" && protocol !== "https:") return { ok: false, message: "utils.fetch: only http and https URLs can be fetched" };
  if (typeof method !== "string" || !/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(method))
    return { ok: false, message: "utils.fetch: invalid method" };
  if (!isPairs(headers)) return { ok: false, message: "utils.fetch: invalid headers" };
  if (body !== undefined && typeof body !== "string") return { ok: false, message: "utils.fetch: the body must be a string" };
  const input: FetchInput = { url, method, headers: headers.map(([name, item]) => [name, item]) };
  if (body !== undefined) input.body = body;
  return { ok: true, request: { kind: "fetch", input, timeoutMs: Math.max(1, Math.floor(remainingMs)) } };
}
