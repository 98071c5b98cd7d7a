import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { pinoHttp } from "pino-http";
import type { Logger } from "@hookline/core";

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * One log line per request with its id, method, route, status and time. Headers and bodies are
 * left out on purpose: they carry API keys, secrets and event data.
 */
export function requestLogging(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId(req: IncomingMessage, res: ServerResponse) {
      const incoming = req.headers["x-request-id"];
      const id = typeof incoming === "string" && REQUEST_ID.test(incoming) ? incoming : `req_${randomUUID()}`;
      res.setHeader("x-request-id", id);
      return id;
    },
    serializers: {
      req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url.split("?")[0] }),
      res: (res: { statusCode: number }) => ({ status: res.statusCode }),
    },
    // Ids learnt while handling the request (its tenant, an inbound call's execution) join the
    // request's closing line too, not only the lines logged after they were learnt.
    customProps: (_req: IncomingMessage, res: ServerResponse) =>
      (res as { locals?: { logBindings?: Record<string, string> } }).locals?.logBindings ?? {},
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? "error" : res.statusCode >= 400 ? "warn" : "info"),
    // Errors are logged once, by the error middleware, with their code.
    customErrorMessage: () => "request failed",
    quietReqLogger: true,
  });
}
