import type { Router } from "express";
import { AppError, isId, type IdKind } from "@hookline/core";

/**
 * An `:id` that cannot be an id of this kind is answered 404 before any query runs: the same
 * answer as an id that does not exist or belongs to another tenant.
 */
export function guardIdParam(router: Router, kind: IdKind, what: string): void {
  router.param("id", (_req, _res, next, id: string) => {
    if (!isId(kind, id)) throw AppError.notFound(what);
    next();
  });
}
