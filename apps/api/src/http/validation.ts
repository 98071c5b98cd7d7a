import { Ajv, type ErrorObject, type Schema, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { STANDARD_FORMAT_MESSAGES, STRING_FORMATS } from "@hookline/api-contract";
import { AppError, type FieldProblem } from "@hookline/core";

/** One ajv instance for the whole API, so formats and schemas compile once at start-up. */
const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, coerceTypes: false, useDefaults: false });
// ajv-formats is CommonJS with a default export; under Node's ESM loader that arrives as `.default`.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;
addFormats(ajv, ["date-time"]);

for (const [name, format] of Object.entries(STRING_FORMATS)) ajv.addFormat(name, { type: "string", validate: format.validate });

const FORMAT_MESSAGES: Record<string, string> = {
  ...STANDARD_FORMAT_MESSAGES,
  ...Object.fromEntries(Object.entries(STRING_FORMATS).map(([name, format]) => [name, format.message])),
};

function fieldPath(instancePath: string, child?: string): string {
  const parts = instancePath
    .split("/")
    .slice(1)
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
  if (child !== undefined) parts.push(child);
  return parts.join(".");
}

function toProblem(error: ErrorObject, where: string): FieldProblem {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "required":
      return { field: fieldPath(error.instancePath, String(params.missingProperty)), message: "is required" };
    case "additionalProperties":
      return { field: fieldPath(error.instancePath, String(params.additionalProperty)), message: "is not a known field" };
    case "format":
      return {
        field: fieldPath(error.instancePath),
        message: FORMAT_MESSAGES[String(params.format)] ?? `must be a valid ${String(params.format)}`,
      };
    case "pattern":
      return {
        field: fieldPath(error.instancePath),
        message: params.pattern === "\\S" ? "must not be blank" : `must match ${String(params.pattern)}`,
      };
    case "propertyNames":
      return { field: fieldPath(error.instancePath), message: "has an invalid property name" };
    default: {
      const field = fieldPath(error.instancePath);
      return { field: field === "" ? where : field, message: error.message ?? "is invalid" };
    }
  }
}

export interface Validator<T> {
  /** Returns the value typed as T, or throws a 400 AppError naming every offending field. */
  (value: unknown): T;
}

/**
 * Compiles a JSON Schema into a validator. `where` names the whole value in messages about it
 * (`body` or `query`), for example "body must be object".
 */
export function validator<T>(schema: Schema, where: "body" | "query"): Validator<T> {
  const validate: ValidateFunction = ajv.compile(schema);
  return (value: unknown): T => {
    if (validate(value)) return value as T;
    const problems = (validate.errors ?? [])
      // propertyNames reports each bad name twice (once for the inner pattern); keep the clearer one.
      .filter((error) => error.keyword !== "pattern" || !error.propertyName)
      .map((error) => toProblem(error, where));
    throw AppError.validation(dedupe(problems), `The request ${where} is invalid.`);
  };
}

function dedupe(problems: FieldProblem[]): FieldProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.field}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
