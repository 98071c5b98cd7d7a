import { Router } from "express";
import {
  DEFAULT_STATS_WINDOW_MINUTES,
  MAX_FAILING_ENDPOINTS,
  MAX_STATS_WINDOW_MINUTES,
  presentStats,
  statsQuerySchema,
  type StatsQuery,
} from "@hookline/api-contract";
import { AppError } from "@hookline/core";
import { tenantOf } from "../http/auth.middleware.js";
import { validator } from "../http/validation.js";

const parseQuery = validator<StatsQuery>(statsQuerySchema, "query");

/** `/v1/stats`: a dashboard's overview of recent deliveries and of the endpoints now. */
export function statsRoutes(): Router {
  const router = Router();

  router.get("/", async (req, res) => {
    const { window_minutes } = parseQuery(req.query);
    const windowMinutes = window_minutes === undefined ? DEFAULT_STATS_WINDOW_MINUTES : Number(window_minutes);
    if (windowMinutes < 1 || windowMinutes > MAX_STATS_WINDOW_MINUTES) {
      throw AppError.validation([{ field: "window_minutes", message: `must be an integer from 1 to ${MAX_STATS_WINDOW_MINUTES}` }]);
    }
    const stats = await tenantOf(res).scope.stats.deliveries({ windowMinutes, maxFailing: MAX_FAILING_ENDPOINTS });
    res.json(presentStats(stats, windowMinutes));
  });

  return router;
}
