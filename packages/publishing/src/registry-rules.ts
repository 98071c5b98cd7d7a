import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { AppError, BUILTIN_EVENT_TYPES, isBuiltinEventType, matchesEventType, type FieldProblem } from "@hookline/core";
import type { PublishRegistry, RegisteredType, TenantScope } from "@hookline/db";

/**
 * Tenants' JSON Schemas are compiled by their own ajv instance: lenient about unknown keywords
 * (a schema written for another tool should still work), all errors reported.
 */
const ajv = new Ajv({ allErrors: true, strict: false });
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;
addFormats(ajv);

// Compiled validators by tenant, type and version; bounded, since schemas change rarely.
const compiled = new Map<string, ValidateFunction>();
const MAX_COMPILED = 1_000;

/** Throws 400 naming `schema` when `schema` is not a JSON Schema ajv can compile. */
export function assertCompilableSchema(schema: unknown): void {
  if (schema === null || schema === undefined) return;
  try {
    ajv.compile(schema as object);
  } catch (error) {
    throw AppError.validation([{ field: "schema", message: `is not a valid JSON Schema: ${(error as Error).message}` }]);
  }
}

function validatorFor(tenantId: string, type: RegisteredType): ValidateFunction {
  const key = `${tenantId}\u0000${type.name}\u0000${type.updatedAt.getTime()}`;
  let validate = compiled.get(key);
  if (!validate) {
    if (compiled.size >= MAX_COMPILED) compiled.clear();
    validate = ajv.compile(type.schema as object);
    compiled.set(key, validate);
  }
  return validate;
}

function dataProblems(errors: ErrorObject[]): FieldProblem[] {
  return errors.map((error) => {
    const path = error.instancePath.split("/").slice(1);
    if (error.keyword === "required") path.push(String((error.params as { missingProperty: string }).missingProperty));
    return { field: ["data", ...path].join("."), message: error.keyword === "required" ? "is required" : (error.message ?? "is invalid") };
  });
}

const unprocessable = (message: string, details: FieldProblem[] = []) =>
  new AppError({ status: 422, code: "unprocessable", message, details });

/** The registry of one publish request (any number of events), read once. */
export interface PublishLookups {
  readonly tenantId: string;
  readonly registry: Promise<PublishRegistry>;
}

export function publishLookups(scope: TenantScope, names: readonly string[]): PublishLookups {
  const registry = scope.eventTypes.forPublish(names);
  // Whoever awaits it sees a failure; if nobody does (every event refused first), it is not unhandled.
  registry.catch(() => undefined);
  return { tenantId: scope.tenantId, registry };
}

/**
 * The registry's say on publishing `eventType` with `data`; throws 422 when it says no.
 * `unregisteredAllowed`: strict mode lets this type through unregistered (Hookline's own test type).
 */
export async function checkPublish(
  lookups: PublishLookups,
  eventType: string,
  data: unknown,
  options: { unregisteredAllowed?: boolean } = {},
): Promise<{ deprecated: boolean }> {
  if (isBuiltinEventType(eventType)) {
    throw unprocessable(`${eventType} is published by Hookline itself and cannot be published through the API.`, [
      { field: "event_type", message: "is reserved for Hookline's operational events" },
    ]);
  }
  const { strict, types } = await lookups.registry;
  const type = types.get(eventType);
  if (!type) {
    if (strict && options.unregisteredAllowed !== true) {
      throw unprocessable("Strict mode: the event type is not registered.", [
        { field: "event_type", message: "is not a registered event type" },
      ]);
    }
    return { deprecated: false };
  }
  if (type.archived) throw unprocessable("The event type is archived.", [{ field: "event_type", message: "is archived" }]);
  if (type.schema !== null) {
    const validate = validatorFor(lookups.tenantId, type);
    if (!validate(data)) throw unprocessable("The event data does not match the event type's schema.", dataProblems(validate.errors ?? []));
  }
  return { deprecated: type.deprecated };
}

/** In strict mode each subscription entry must name, or match, a registered or built-in type. */
export async function checkSubscriptionTypes(scope: TenantScope, eventTypes: readonly string[]): Promise<void> {
  if (!(await scope.settings.get()).strictEventTypes) return;
  const known = [...(await scope.eventTypes.activeNames()), ...Object.keys(BUILTIN_EVENT_TYPES)];
  const problems = eventTypes
    .map((entry, i) => ({ entry, i }))
    .filter(({ entry }) => !known.some((name) => matchesEventType(entry, name)))
    .map(({ i }) => ({ field: `event_types.${i}`, message: "matches no registered event type (strict mode)" }));
  if (problems.length > 0) throw unprocessable("Strict mode: subscriptions may only name registered event types.", problems);
}
