import { randomUUID } from "node:crypto";
import type { RequestHandler, Request, Response } from "express";
import type { Logger } from "@hookline/core";

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

declare module "node:http" {
  interface IncomingMessage {
    /** The request's id: the caller's `X-Request-Id` when it is a sane one, else a new one. */
    id: string;
    /**
     * The request's logger: the process logger bound to the request id and the ids learnt so far
     * (bindRequestLog). Made on first use, so a request that logs nothing of its own (most of
     * them) makes no child logger.
     */
    log: Logger;
  }
}

const LOG = Symbol("hookline.requestLog");
interface LogState {
  logger: Logger | undefined;
}
type WithLogState = Request & { [LOG]?: LogState };

/**
 * One log line per request with its id, method, route, status and time, and the ids learnt while
 * handling it (its tenant, an inbound call's execution). Headers and bodies are left out on
 * purpose: they carry API keys, secrets and event data.
 *
 * This did use pino-http. Per request it made three or four child loggers (one for the id, one
 * holding the serialized request, one for custom properties, another at the end for the ids
 * learnt) and ran its own request serializer before ours: about a tenth of the API's CPU on a
 * single-event publish (docs/PERFORMANCE.md). Here the closing line is one call on the process
 * logger, and the request's own logger is made only when something logs through it.
 */
export function requestLogging(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const startedAt = performance.now();
    const incoming = req.headers["x-request-id"];
    const id = typeof incoming === "string" && REQUEST_ID.test(incoming) ? incoming : `req_${randomUUID()}`;
    res.setHeader("x-request-id", id);
    req.id = id;
    const state: LogState = { logger: undefined };
    (req as WithLogState)[LOG] = state;
    Object.defineProperty(req, "log", {
      configurable: true,
      enumerable: false,
      get: () => (state.logger ??= logger.child({ reqId: id, ...res.locals.logBindings })),
      set: (value: Logger) => {
        state.logger = value;
      },
    });

    let logged = false;
    const done = () => {
      if (logged) return;
      logged = true;
      res.off("finish", done);
      res.off("close", done);
      const status = res.statusCode;
      const line = {
        reqId: id,
        req: { id, method: req.method, url: req.originalUrl.split("?")[0] },
        res: { status },
        responseTime: Math.round(performance.now() - startedAt),
        ...res.locals.logBindings,
      };
      // The client went away before an answer was sent: its status is only what it would have been.
      if (!res.writableEnded) logger.warn({ ...line, aborted: true }, "request aborted");
      // Errors are logged once, with their code, by the error middleware; this is the request's summary.
      else if (status >= 500) logger.error(line, "request failed");
      else if (status >= 400) logger.warn(line, "request completed");
      else logger.info(line, "request completed");
    };
    res.on("finish", done);
    res.on("close", done);
    next();
  };
}

/** Ids learnt while handling a request: they join its closing line and every line logged through req.log from now on. */
export function bindRequestLog(req: Request, res: Response, ids: Record<string, string>): void {
  res.locals.logBindings = { ...res.locals.logBindings, ...ids };
  const state = (req as WithLogState)[LOG];
  if (state?.logger !== undefined) state.logger = state.logger.child(ids);
}
