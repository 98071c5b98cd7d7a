import type { Request, RequestHandler } from "express";
import { AppError, type PortalCapability } from "@hookline/core";
import { customerOwns, type Database, type PortalOwned } from "@hookline/db";
import type { PortalAuth } from "../http/auth.middleware.js";

/**
 * What a portal token reaches: these routes and no other (anything not listed is a 403), each
 * with the capability it needs beyond reading, and the checks that keep the customer to its own
 * endpoints. Ids of another customer's things answer 404, as a foreign id does everywhere.
 */
interface Rule {
  readonly method: string;
  /** Matched against the path below `/v1`; `([^/]+)` captures the id of `owns`. */
  readonly path: RegExp;
  readonly needs?: readonly PortalCapability[];
  /** The thing the path's id names, which must be the customer's. */
  readonly owns?: PortalOwned;
  /** Checks of the body or query (a list forced to the customer, a new endpoint made its own). */
  readonly check?: (req: Request, portal: PortalAuth, owns: (kind: PortalOwned, id: string) => Promise<boolean>) => Promise<void> | void;
}

const ID = "([^/]+)";
const MANAGE: readonly PortalCapability[] = ["manage_endpoints"];

const notFound = (what: string) => AppError.notFound(what);
const forbidden = (message: string) => new AppError({ status: 403, code: "forbidden", message });

/** Adds or replaces a query parameter by rewriting the URL: Express parses the query from it. */
function forceQuery(req: Request, name: string, value: string): void {
  const [path, search = ""] = req.url.split("?", 2) as [string, string?];
  const params = new URLSearchParams(search);
  params.set(name, value);
  req.url = `${path}?${params.toString()}`;
}

function queryParam(req: Request, name: string): string | undefined {
  const value = new URLSearchParams(req.url.split("?", 2)[1] ?? "").get(name);
  return value ?? undefined;
}

const body = (req: Request): Record<string, unknown> =>
  typeof req.body === "object" && req.body !== null && !Array.isArray(req.body) ? (req.body as Record<string, unknown>) : {};

/** A list or a new subscription names an endpoint: it must be given, and the customer's. */
const endpointNamed =
  (where: "query" | "body") => async (req: Request, _portal: PortalAuth, owns: (kind: PortalOwned, id: string) => Promise<boolean>) => {
    const id = where === "query" ? queryParam(req, "endpoint_id") : body(req).endpoint_id;
    if (typeof id !== "string") {
      if (where === "body") return; // the route's own validation answers 400
      throw AppError.validation([{ field: "endpoint_id", message: "is required with a portal token" }]);
    }
    if (!(await owns("endpoint", id))) throw notFound("The endpoint");
  };

const RULES: readonly Rule[] = [
  { method: "GET", path: /^\/portal$/ },
  { method: "GET", path: /^\/event_types$/ },
  { method: "GET", path: new RegExp(`^/event_types/${ID}$`) },
  // Endpoints: the list shows the customer's only; a new one is the customer's.
  { method: "GET", path: /^\/endpoints$/, check: (req, portal) => forceQuery(req, "customer_id", portal.customerId) },
  {
    method: "POST",
    path: /^\/endpoints$/,
    needs: MANAGE,
    check: (req, portal) => {
      const given = body(req).customer_id;
      if (given !== undefined && given !== portal.customerId)
        throw forbidden("A portal token creates endpoints for its own customer only.");
      if (typeof req.body === "object" && req.body !== null) (req.body as Record<string, unknown>).customer_id = portal.customerId;
    },
  },
  { method: "GET", path: new RegExp(`^/endpoints/${ID}$`), owns: "endpoint" },
  {
    method: "PATCH",
    path: new RegExp(`^/endpoints/${ID}$`),
    owns: "endpoint",
    needs: MANAGE,
    check: (req) => {
      if ("customer_id" in body(req)) throw forbidden("A portal token cannot move an endpoint to another customer.");
    },
  },
  { method: "DELETE", path: new RegExp(`^/endpoints/${ID}$`), owns: "endpoint", needs: MANAGE },
  { method: "GET", path: new RegExp(`^/endpoints/${ID}/secret$`), owns: "endpoint", needs: ["reveal_secrets"] },
  { method: "POST", path: new RegExp(`^/endpoints/${ID}/secret/rotate$`), owns: "endpoint", needs: ["manage_endpoints", "reveal_secrets"] },
  { method: "POST", path: new RegExp(`^/endpoints/${ID}/recover$`), owns: "endpoint", needs: ["retry"] },
  { method: "GET", path: new RegExp(`^/endpoints/${ID}/recoveries/${ID}$`), owns: "endpoint", needs: ["retry"] },
  { method: "POST", path: new RegExp(`^/endpoints/${ID}/test$`), owns: "endpoint", needs: MANAGE },
  { method: "GET", path: new RegExp(`^/endpoints/${ID}/deliveries$`), owns: "endpoint" },
  // Subscriptions: listed per endpoint; made and changed on the customer's endpoints only.
  { method: "GET", path: /^\/subscriptions$/, check: endpointNamed("query") },
  { method: "POST", path: /^\/subscriptions$/, needs: MANAGE, check: endpointNamed("body") },
  { method: "GET", path: new RegExp(`^/subscriptions/${ID}$`), owns: "subscription" },
  { method: "PATCH", path: new RegExp(`^/subscriptions/${ID}$`), owns: "subscription", needs: MANAGE, check: endpointNamed("body") },
  { method: "DELETE", path: new RegExp(`^/subscriptions/${ID}$`), owns: "subscription", needs: MANAGE },
  // Deliveries: listed per endpoint; each with its attempts; a failed one sent again.
  { method: "GET", path: /^\/deliveries$/, check: endpointNamed("query") },
  { method: "GET", path: new RegExp(`^/deliveries/${ID}$`), owns: "delivery" },
  { method: "POST", path: new RegExp(`^/deliveries/${ID}/retry$`), owns: "delivery", needs: ["retry"] },
];

function safeDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

const WHAT: Record<PortalOwned, string> = { endpoint: "The endpoint", subscription: "The subscription", delivery: "The delivery" };

/** Behind requireTenant: lets API keys and dashboard sessions through untouched. */
export function portalGate(db: Database): RequestHandler {
  return async (req, res, next) => {
    const auth = res.locals.auth;
    const portal = auth?.portal;
    if (!auth || !portal) return next();
    const path = `${req.baseUrl}${req.path}`.replace(/^\/v1/, "").replace(/\/$/, "");
    const method = req.method === "HEAD" ? "GET" : req.method;
    const rule = RULES.find((r) => r.method === method && r.path.test(path));
    if (!rule) throw forbidden("A portal link reaches only the customer's endpoints, subscriptions and deliveries.");
    const missing = rule.needs?.filter((capability) => !portal.capabilities.includes(capability)) ?? [];
    if (missing.length > 0) throw forbidden(`This portal link does not allow that (it needs ${missing.join(" and ")}).`);
    const owns = (kind: PortalOwned, id: string) => customerOwns(db, { tenantId: auth.tenantId, customerId: portal.customerId }, kind, id);
    if (rule.owns) {
      const id = safeDecode(rule.path.exec(path)?.[1] ?? "");
      if (id === undefined || !(await owns(rule.owns, id))) throw notFound(WHAT[rule.owns]);
    }
    await rule.check?.(req, portal, owns);
    next();
  };
}
