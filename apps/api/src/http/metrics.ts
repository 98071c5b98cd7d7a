import type { RequestHandler } from "express";
import { Histogram, register } from "prom-client";
import { metricsText } from "@hookline/core";
import { clusterMetrics } from "../api-processes.js";

const requestSeconds =
  (register.getSingleMetric("hookline_http_request_duration_seconds") as Histogram<"method" | "route" | "status"> | undefined) ??
  new Histogram({
    name: "hookline_http_request_duration_seconds",
    help: "API requests by route template and status, and how long they took",
    labelNames: ["method", "route", "status"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  });

/** Times every request; the route label is the template (`/v1/endpoints/:id`), never the raw path. */
export const measureRequests: RequestHandler = (req, res, next) => {
  const end = requestSeconds.startTimer();
  res.on("finish", () => {
    const template = req.route ? `${req.baseUrl}${req.route.path === "/" ? "" : String(req.route.path)}` : "unmatched";
    end({ method: req.method, route: template, status: String(res.statusCode) });
  });
  next();
};

/** This process's metrics, or with API_PROCESSES > 1 those of every API process. */
export const serveMetrics: RequestHandler = async (_req, res) => {
  const { contentType, body } = await (clusterMetrics() ?? metricsText());
  res.setHeader("content-type", contentType);
  res.send(body);
};
