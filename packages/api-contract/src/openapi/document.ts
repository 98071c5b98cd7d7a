import type { Schema } from "ajv";
import { ERROR_STATUS_DESCRIPTIONS } from "./errors-doc.js";
import { OPERATIONS, type Body, type Operation } from "./operations.js";
import type { OpenApiDocument } from "../responses.js";
import { RESPONSE_SCHEMAS } from "./response-schemas.js";
import { REQUEST_EXAMPLES } from "./examples.js";

/** The version of the API the document describes. */
export const HOOKLINE_VERSION = "0.1.0";

export interface DocumentOptions {
  /** The server the document describes (`PUBLIC_URL` or the address it was asked at). */
  readonly serverUrl: string;
  readonly version: string;
  /** A tenant's registered event types, each with its JSON Schema: described under `webhooks`. */
  readonly eventTypes?: readonly { readonly name: string; readonly description: string; readonly schema: unknown }[];
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** ts-json-schema-generator refers to `#/definitions/X`; OpenAPI keeps schemas under components. */
function toComponents(schemas: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(schemas).replaceAll('"#/definitions/', '"#/components/schemas/')) as Record<string, unknown>;
}

function bodySchema(body: Body): unknown {
  if (body === null) return undefined;
  if (typeof body === "object" && "eventStream" in body) return undefined;
  if (typeof body !== "string") return { type: "array", items: ref(body[0]) };
  const names = body.split(" | ");
  return names.length === 1 ? ref(names[0]!) : { oneOf: names.map(ref) };
}

const PAGE_HEADERS = {
  Link: { description: 'The next page: `<…?cursor=…>; rel="next"`, when there is one', schema: { type: "string" } },
  "X-Next-Cursor": { description: "The cursor of the next page, when there is one", schema: { type: "string" } },
};

const RATE_LIMIT_HEADERS = {
  "Retry-After": { description: "Seconds to wait", schema: { type: "integer" } },
  "RateLimit-Limit": { schema: { type: "integer" } },
  "RateLimit-Remaining": { schema: { type: "integer" } },
  "RateLimit-Reset": { schema: { type: "integer" } },
};

/** Query parameters: the properties of the operation's query schema, one parameter each. */
function queryParameters(query: Schema | undefined) {
  const properties = (query as { properties?: Record<string, unknown> } | undefined)?.properties ?? {};
  return Object.entries(properties).map(([name, schema]) => ({ name, in: "query", required: false, schema }));
}

function pathParameters(path: string) {
  return [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({ name, in: "path", required: true, schema: { type: "string" } }));
}

/** Every error status an operation may answer: its own, and those every operation of its kind may. */
export function errorStatuses(operation: Operation): number[] {
  const statuses = new Set<number>(operation.errors ?? []);
  if (operation.security !== "none") {
    // Any request may carry a body (and the API reads every one as JSON), or name an id in it.
    [400, 401, 413, 415].forEach((s) => statuses.add(s));
  }
  if (operation.security === "tenant") statuses.add(429);
  if (operation.path.includes("{") || operation.body !== undefined) statuses.add(404);
  if (operation.query !== undefined) statuses.add(400);
  statuses.add(503);
  return [...statuses].sort((a, b) => a - b);
}

function operationObject(operation: Operation) {
  const responses: Record<string, unknown> = {};
  for (const [status, body] of Object.entries(operation.responses)) {
    const schema = bodySchema(body);
    const isList = Array.isArray(body);
    const stream = body !== null && typeof body === "object" && "eventStream" in body ? body.eventStream : undefined;
    responses[status] = {
      description:
        status === "204"
          ? "No content"
          : status === "202"
            ? "Accepted"
            : status === "201"
              ? "Created"
              : status === "503"
                ? "Unavailable"
                : "OK",
      ...(isList && { headers: PAGE_HEADERS }),
      ...(schema !== undefined && { content: { "application/json": { schema } } }),
      ...(stream !== undefined && {
        content: { "text/event-stream": { schema: { type: "string", description: `Server-sent events; each \`data\` is a ${stream}` } } },
      }),
    };
  }
  for (const status of errorStatuses(operation).filter((s) => operation.responses[s] === undefined)) {
    responses[String(status)] = {
      description: ERROR_STATUS_DESCRIPTIONS[status] ?? "Error",
      ...(status === 429 && { headers: RATE_LIMIT_HEADERS }),
      ...(status === 503 && { headers: { "Retry-After": RATE_LIMIT_HEADERS["Retry-After"] } }),
      content: { "application/json": { schema: ref("ErrorResponse") } },
    };
  }
  return {
    operationId: operation.operationId,
    summary: operation.summary,
    tags: [operation.tag],
    security: operation.security === "tenant" ? [{ apiKey: [] }] : operation.security === "admin" ? [{ adminToken: [] }] : [],
    parameters: [...pathParameters(operation.path), ...queryParameters(operation.query)],
    ...(operation.body !== undefined && {
      requestBody: {
        required: true,
        content: {
          "application/json": {
            schema: operation.body,
            ...(REQUEST_EXAMPLES[operation.operationId] !== undefined && { example: REQUEST_EXAMPLES[operation.operationId] }),
          },
        },
      },
    }),
    responses,
  };
}

/** What a receiver of a delivery gets: the Standard Webhooks headers and the envelope. */
function webhooks(eventTypes: DocumentOptions["eventTypes"]) {
  const headers = [
    {
      name: "webhook-id",
      in: "header",
      required: true,
      description: "The delivery's id: the same on every attempt",
      schema: { type: "string" },
    },
    {
      name: "webhook-timestamp",
      in: "header",
      required: true,
      description: "Seconds since the epoch when this attempt was signed",
      schema: { type: "string" },
    },
    {
      name: "webhook-signature",
      in: "header",
      required: true,
      description: "Space-separated `v1,<base64 HMAC-SHA256>` signatures, one per live secret (during a rotation, two)",
      schema: { type: "string" },
    },
  ];
  const envelope = (data: unknown, type?: string) => ({
    type: "object",
    required: ["id", "type", "timestamp", "data"],
    properties: {
      id: { type: "string", description: "The event's id" },
      type: type === undefined ? { type: "string" } : { const: type },
      timestamp: { type: "string", format: "date-time" },
      data,
    },
  });
  const receive = (summary: string, schema: unknown) => ({
    post: {
      summary,
      parameters: headers,
      requestBody: { required: true, content: { "application/json": { schema } } },
      responses: { "200": { description: "Any 2xx marks the delivery succeeded; anything else is retried on the schedule" } },
    },
  });
  const out: Record<string, unknown> = { delivery: receive("A delivery of any event type", envelope({ type: "object" })) };
  for (const type of eventTypes ?? []) {
    out[type.name] = receive(type.description || `A delivery of ${type.name}`, envelope(type.schema ?? { type: "object" }, type.name));
  }
  return out;
}

/**
 * The OpenAPI 3.1 document of the API, built from the operations list, the request schemas the
 * API validates with and the response schemas generated from the contract's types.
 */
export function buildOpenApiDocument(options: DocumentOptions): OpenApiDocument {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const operation of OPERATIONS) (paths[operation.path] ??= {})[operation.method] = operationObject(operation);
  return {
    openapi: "3.1.0",
    info: {
      title: "Hookline",
      version: options.version,
      description:
        "A self-hosted, queue-backed webhook platform: endpoints, subscriptions and events out; inbound endpoints and integrations in.",
    },
    servers: [{ url: options.serverUrl }],
    tags: [...new Set(OPERATIONS.map((operation) => operation.tag))].map((name) => ({ name })),
    paths,
    webhooks: webhooks(options.eventTypes),
    components: {
      securitySchemes: {
        apiKey: { type: "http", scheme: "bearer", description: "A tenant's API key: `Authorization: Bearer key_….…`" },
        adminToken: { type: "http", scheme: "bearer", description: "The installation's ADMIN_TOKEN" },
      },
      schemas: toComponents(RESPONSE_SCHEMAS),
    },
  };
}
