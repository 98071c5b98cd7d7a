/** What each error status means, in the one error format (`ErrorResponse`, its `code` names the case). */
export const ERROR_STATUS_DESCRIPTIONS: Readonly<Record<number, string>> = {
  400: "Invalid: `validation_error` (each field in `details`) or `invalid_json`",
  401: "`unauthorized`: the key or token is missing, malformed, unknown, revoked or expired",
  404: "`not_found`: no such resource for this tenant (another tenant's is the same)",
  409: "`conflict`: the action does not fit the resource's state",
  413: "`payload_too_large`: the body is over MAX_BODY_BYTES",
  415: "`unsupported_media_type`: the body is not JSON",
  422: "`unprocessable`: well-formed, but the registry (or a workflow) says no",
  429: "`rate_limited`: over RATE_LIMIT_PER_SECOND; retry after Retry-After",
  503: "`service_unavailable`: Postgres is unreachable, or the request lost a deadlock repeatedly; nothing changed; retry after Retry-After",
};
