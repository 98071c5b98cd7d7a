import type { RequestHandler } from "express";
import { Ajv, type ValidateFunction } from "ajv";
import { errorStatuses, OPERATIONS, RESPONSE_SCHEMAS, type Operation } from "@hookline/api-contract";

/** A response the OpenAPI document does not describe. */
export interface ContractViolation {
  readonly route: string;
  readonly status: number;
  readonly problem: string;
}

const byRoute = new Map(OPERATIONS.map((operation) => [`${operation.method.toUpperCase()} ${operation.path}`, operation]));
const ajv = new Ajv({ strict: false, allErrors: false, validateFormats: false });
ajv.addSchema({ $id: "hookline", definitions: RESPONSE_SCHEMAS });
const validators = new Map<string, ValidateFunction>();

function validatorFor(key: string, schema: object): ValidateFunction {
  let validate = validators.get(key);
  if (!validate) {
    validate = ajv.compile(schema);
    validators.set(key, validate);
  }
  return validate;
}

const ref = (name: string) => ({ $ref: `hookline#/definitions/${name}` });

function schemaFor(operation: Operation, status: number): { key: string; schema: object } | "not described" | "no body" {
  const body = operation.responses[status];
  if (body === undefined) {
    return errorStatuses(operation).includes(status) ? { key: "error", schema: ref("ErrorResponse") } : "not described";
  }
  if (body === null || (typeof body === "object" && "eventStream" in body)) return "no body";
  if (typeof body !== "string") return { key: `[${body[0]}]`, schema: { type: "array", items: ref(body[0]) } };
  const names = body.split(" | ");
  return { key: body, schema: names.length === 1 ? ref(names[0]!) : { anyOf: names.map(ref) } };
}

/**
 * For tests: checks every JSON answer of a route the document describes against it (the status,
 * and the body's schema) and reports what does not match. The API's tests run with it, so a
 * route that answers something the document does not say fails the suite.
 */
export function contractCheck(report: (violation: ContractViolation) => void): RequestHandler {
  return (req, res, next) => {
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      const pattern = req.route ? `${req.baseUrl}${req.route.path === "/" ? "" : String(req.route.path)}` : undefined;
      const route = pattern === undefined ? undefined : `${req.method} ${pattern.replace(/:(\w+)/g, "{$1}")}`;
      const operation = route === undefined ? undefined : byRoute.get(route);
      if (route !== undefined && operation !== undefined) {
        const expected = schemaFor(operation, res.statusCode);
        if (expected === "not described") report({ route, status: res.statusCode, problem: "status not in the document" });
        else if (expected === "no body") report({ route, status: res.statusCode, problem: "a body where the document says none" });
        else {
          const validate = validatorFor(expected.key, expected.schema);
          if (!validate(JSON.parse(JSON.stringify(body)))) {
            const error = validate.errors?.[0];
            report({
              route,
              status: res.statusCode,
              problem: `${error?.instancePath || "body"} ${error?.message ?? "invalid"} ${JSON.stringify(error?.params ?? {})}`,
            });
          }
        }
      }
      return json(body);
    };
    next();
  };
}
