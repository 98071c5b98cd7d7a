import { timingSafeEqual } from "node:crypto";
import type { Request, Response } from "express";
import { parse as parseCookies, serialize } from "cookie";
import { AppError } from "@hookline/core";
import type { DashboardSession } from "@hookline/db";

/** The dashboard's sign-in cookie. `__Host-` would pin it harder but needs https, which local use lacks. */
export const SESSION_COOKIE = "hookline_session";
export const CSRF_HEADER = "x-csrf-token";

export function sessionToken(req: Request): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  return parseCookies(header)[SESSION_COOKIE] || undefined;
}

/**
 * HttpOnly (page scripts never see it), SameSite=Strict (no other site's page sends it), Secure
 * whenever the browser reached us over https (directly or through a proxy that says so).
 */
export function setSessionCookie(req: Request, res: Response, token: string, expiresAt: Date, publicUrl: string | undefined): void {
  const secure = req.secure || req.header("x-forwarded-proto") === "https" || publicUrl?.startsWith("https:") === true;
  res.append("Set-Cookie", serialize(SESSION_COOKIE, token, { httpOnly: true, sameSite: "strict", secure, path: "/", expires: expiresAt }));
}

export function clearSessionCookie(res: Response): void {
  res.append("Set-Cookie", serialize(SESSION_COOKIE, "", { httpOnly: true, sameSite: "strict", path: "/", expires: new Date(0) }));
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * A request that changes something on a cookie's say-so must prove it came from the dashboard's
 * own page: it carries the session's CSRF token in a header, which a cross-site form cannot set,
 * and the browser must not call it cross-site (Sec-Fetch-Site, where the browser sends it).
 */
export function checkCsrf(req: Request, session: DashboardSession): void {
  if (SAFE_METHODS.has(req.method)) return;
  if (req.header("sec-fetch-site") === "cross-site") {
    throw new AppError({ status: 403, code: "forbidden", message: "Cross-site requests cannot use a dashboard session." });
  }
  const sent = req.header(CSRF_HEADER);
  const expected = Buffer.from(session.csrfToken);
  if (sent === undefined || sent.length !== expected.length || !timingSafeEqual(Buffer.from(sent), expected)) {
    throw new AppError({
      status: 403,
      code: "forbidden",
      message: "A dashboard request that changes something must send the session's X-CSRF-Token.",
    });
  }
}

/** Same-origin check only, for pages whose own scripts cannot send our header (Bull Board). */
export function checkSameOrigin(req: Request): void {
  if (SAFE_METHODS.has(req.method)) return;
  const site = req.header("sec-fetch-site");
  if (site !== "same-origin") {
    throw new AppError({ status: 403, code: "forbidden", message: "Only the page itself may change something with a dashboard session." });
  }
}
