import { createHmac, timingSafeEqual as bytesEqual } from "node:crypto";
import { Webhook } from "standardwebhooks";

export type WebhookProvider = "stripe" | "github" | "standard";

export interface VerifyWebhookInput {
  provider: WebhookProvider;
  secret: string;
  payload: string;
  /** Lower-case names. */
  headers: [string, string][];
  toleranceSeconds: number;
  /** Seconds since the epoch; tests pass it, the sandbox uses the clock. */
  nowSeconds?: number;
}

const header = (headers: [string, string][], name: string): string | undefined => {
  const values = headers.filter(([key]) => key === name).map(([, value]) => value);
  return values.length === 0 ? undefined : values.join(", ");
};

/** Compares two strings as UTF-8 bytes in time that depends only on their lengths. */
export function timingSafeEqualStrings(a: string, b: string): boolean {
  const left = Buffer.from(a, "utf8");
  const right = Buffer.from(b, "utf8");
  if (left.length !== right.length) {
    bytesEqual(left, left); // spend the same time as a comparison would
    return false;
  }
  return bytesEqual(left, right);
}

const hmacHex = (secret: string, data: string): string => createHmac("sha256", secret).update(data, "utf8").digest("hex");

const withinTolerance = (timestamp: number, now: number, tolerance: number): string => {
  if (now - timestamp > tolerance) return `the timestamp is ${now - timestamp} s old, more than the tolerance of ${tolerance} s`;
  if (timestamp - now > tolerance) return `the timestamp is ${timestamp - now} s in the future, more than the tolerance of ${tolerance} s`;
  return "";
};

/** Stripe: `stripe-signature: t=<unix seconds>,v1=<hex>[,v1=...]`, HMAC-SHA256 over `${t}.${payload}`. */
function verifyStripe(input: VerifyWebhookInput, now: number): string {
  const value = header(input.headers, "stripe-signature");
  if (value === undefined) return "no stripe-signature header";
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of value.split(",")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const item = part.slice(eq + 1).trim();
    if (key === "t" && /^\d{1,12}$/.test(item)) timestamp = Number(item);
    if (key === "v1") signatures.push(item);
  }
  if (timestamp === undefined) return "the stripe-signature header has no timestamp (t=)";
  if (signatures.length === 0) return "the stripe-signature header has no v1 signature";
  const expected = hmacHex(input.secret, `${timestamp}.${input.payload}`);
  if (!signatures.some((signature) => timingSafeEqualStrings(signature, expected))) return "no v1 signature matches";
  return withinTolerance(timestamp, now, input.toleranceSeconds);
}

/** GitHub: `x-hub-signature-256: sha256=<hex>`, HMAC-SHA256 over the payload. No timestamp. */
function verifyGithub(input: VerifyWebhookInput): string {
  const value = header(input.headers, "x-hub-signature-256");
  if (value === undefined) return "no x-hub-signature-256 header";
  if (!value.startsWith("sha256=")) return "the x-hub-signature-256 header does not start with sha256=";
  const expected = `sha256=${hmacHex(input.secret, input.payload)}`;
  return timingSafeEqualStrings(value, expected) ? "" : "the signature does not match";
}

/**
 * Standard Webhooks: webhook-id, webhook-timestamp and webhook-signature (`v1,<base64>` items
 * separated by spaces), a `whsec_` secret. The standardwebhooks package decodes the secret and
 * computes the signature; the tolerance is checked here because the package's verify() fixes it
 * at five minutes and the workflow may ask for another.
 */
function verifyStandard(input: VerifyWebhookInput, now: number): string {
  const id = header(input.headers, "webhook-id");
  const timestampText = header(input.headers, "webhook-timestamp");
  const signatures = header(input.headers, "webhook-signature");
  if (id === undefined || timestampText === undefined || signatures === undefined) {
    return "missing one of the webhook-id, webhook-timestamp and webhook-signature headers";
  }
  if (!/^\d{1,12}$/.test(timestampText)) return "the webhook-timestamp header is not a number of seconds";
  const timestamp = Number(timestampText);
  let expected: string;
  try {
    expected = new Webhook(input.secret).sign(id, new Date(timestamp * 1000), input.payload);
  } catch {
    return "the secret is not a valid Standard Webhooks secret (whsec_ followed by base64)";
  }
  const matched = signatures.split(" ").some((item) => item.startsWith("v1,") && timingSafeEqualStrings(item, expected));
  if (!matched) return "no v1 signature matches";
  return withinTolerance(timestamp, now, input.toleranceSeconds);
}

/** "" when the signature is valid, otherwise why not (the sandbox logs the reason at debug level). */
export function verifyWebhookSignature(input: VerifyWebhookInput): string {
  const now = input.nowSeconds ?? Math.floor(Date.now() / 1000);
  switch (input.provider) {
    case "stripe":
      return verifyStripe(input, now);
    case "github":
      return verifyGithub(input);
    case "standard":
      return verifyStandard(input, now);
  }
}
