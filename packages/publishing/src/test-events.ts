import { sample } from "openapi-sampler";
import { AppError, eventTypeProblem, matchesEventType } from "@hookline/core";
import type { EndpointWithSubscriptions, NewEvent, TenantScope } from "@hookline/db";
import { checkPublish, publishLookups } from "./registry-rules.js";

/**
 * The type of a test event when the endpoint subscribes to no registered type with a schema.
 * Hookline's own, so strict mode lets it through unregistered; never a built-in type, so a
 * receiver's handling of `endpoint.disabled` is not fooled by a test.
 */
export const TEST_EVENT_TYPE = "hookline.test";

/** What `POST /v1/endpoints/{id}/test` may say; everything else is chosen for it. */
export interface TestEventRequest {
  readonly eventType?: string | undefined;
  readonly data?: Record<string, unknown> | undefined;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** Example data from a JSON Schema (examples and defaults first, then placeholders); `{}` for a schema of no object. */
function sampled(schema: unknown): Record<string, unknown> {
  try {
    const data = sample(schema as Parameters<typeof sample>[0], { quiet: true, enablePatterns: true });
    return isObject(data) ? data : {};
  } catch {
    return {};
  }
}

/**
 * The first of the endpoint's subscription entries, in the order they were made, that names (or,
 * as a pattern, matches) a registered type with a schema: that type, in name order among the
 * matches. A test then looks like what the endpoint will really receive.
 */
async function subscribedTypeWithSchema(scope: TenantScope, endpoint: EndpointWithSubscriptions) {
  const entries = endpoint.subscriptions.flatMap((subscription) => subscription.eventTypes);
  if (entries.length === 0) return undefined;
  const types = await scope.eventTypes.withSchemas();
  for (const entry of entries) {
    const type = types.find((candidate) => matchesEventType(entry, candidate.name));
    if (type) return type;
  }
  return undefined;
}

/**
 * The event a test sends to `endpoint`: the type and data given, or else a subscribed type's
 * sample, or else `hookline.test`. Admitted as any publish is (the name, the registry, the schema:
 * 400 and 422 as for `POST /v1/events`), except that strict mode lets `hookline.test` through.
 * The event is for the endpoint's customer (so it shows among that customer's events), but its
 * fan-out is the endpoint alone (`targetEndpointId`).
 */
export async function testEventFor(
  scope: TenantScope,
  endpoint: EndpointWithSubscriptions,
  request: TestEventRequest,
): Promise<{ event: NewEvent; deprecated: boolean }> {
  if (endpoint.status === "INACTIVE") throw AppError.conflict("The endpoint is inactive: it receives no events until it is activated.");
  let eventType = request.eventType;
  let data = request.data;
  if (eventType === undefined) {
    const type = await subscribedTypeWithSchema(scope, endpoint);
    eventType = type?.name ?? TEST_EVENT_TYPE;
    data ??= type ? sampled(type.schema) : undefined;
  }
  const problem = eventTypeProblem(eventType, false);
  if (problem) throw AppError.validation([{ field: "event_type", message: problem }]);
  data ??= isTestType(eventType)
    ? { message: "A test event from Hookline", endpoint_id: endpoint.id, sent_at: new Date().toISOString() }
    : await sampleOf(scope, eventType);
  const { deprecated } = await checkPublish(publishLookups(scope, [eventType]), eventType, data, {
    unregisteredAllowed: isTestType(eventType),
  });
  return {
    event: { eventType, data, origin: "test", customerId: endpoint.customerId, targetEndpointId: endpoint.id },
    deprecated,
  };
}

const isTestType = (eventType: string) => eventType === TEST_EVENT_TYPE;

/** A type named without data: its schema's sample if it has one, else no data at all. */
async function sampleOf(scope: TenantScope, eventType: string): Promise<Record<string, unknown>> {
  const type = await scope.eventTypes.find(eventType);
  return type?.schema !== null && type?.schema !== undefined ? sampled(type.schema) : {};
}
