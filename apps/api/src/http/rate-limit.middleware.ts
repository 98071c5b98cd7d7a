import type { RequestHandler, Response } from "express";
import type { RedisClient } from "@hookline/queue";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { AppError } from "@hookline/core";
import { tenantOf } from "./auth.middleware.js";

export interface RateLimitOptions {
  /** Requests per second per tenant; 0 turns limiting off. */
  readonly perSecond: number;
  /** Keys live under this prefix, next to the installation's queues. */
  readonly keyPrefix: string;
}

function describe(res: Response, limit: number, state: RateLimiterRes): void {
  res.setHeader("RateLimit-Limit", String(limit));
  res.setHeader("RateLimit-Remaining", String(Math.max(0, state.remainingPoints)));
  res.setHeader("RateLimit-Reset", String(Math.max(1, Math.ceil(state.msBeforeNext / 1000))));
}

/**
 * Per-tenant request budget, counted in Redis so every API process spends from the same one. If
 * Redis is unreachable each process falls back to counting on its own (the insurance limiter):
 * limits stay on, only less exact, and a Redis outage never turns into failed API calls.
 */
export function rateLimitPerTenant(spend: TenantBudget): RequestHandler {
  return async (_req, res, next) => {
    await spend(tenantOf(res).tenantId, res);
    next();
  };
}

/** Spends one unit of a tenant's budget, or throws 429; also for callers that are not tenants (inbound calls). */
export type TenantBudget = (tenantId: string, res: Response) => Promise<void>;

export function tenantBudget(redis: RedisClient, options: RateLimitOptions): TenantBudget {
  if (options.perSecond === 0) return async () => undefined;
  const limiter = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: `${options.keyPrefix}:ratelimit:tenant`,
    points: options.perSecond,
    duration: 1,
    rejectIfRedisNotReady: true,
    insuranceLimiter: new RateLimiterMemory({ points: options.perSecond, duration: 1 }),
  });
  return async (tenantId, res) => {
    try {
      describe(res, options.perSecond, await limiter.consume(tenantId));
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      describe(res, options.perSecond, rejection);
      res.setHeader("Retry-After", String(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000))));
      throw new AppError({
        status: 429,
        code: "rate_limited",
        message: `This tenant may make ${options.perSecond} requests per second; retry after the Retry-After delay.`,
      });
    }
  };
}
