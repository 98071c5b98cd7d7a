import { HooklineError } from "./errors.js";

/**
 * Verifying deliveries on the receiving side, as Standard Webhooks specifies: the
 * `webhook-signature` header holds space-separated `v1,<base64 HMAC-SHA256>` signatures of
 * `{webhook-id}.{webhook-timestamp}.{raw body}`, keyed with the bytes of a `whsec_<base64>`
 * secret. WebCrypto only, so it runs in Node, browsers and edge runtimes alike.
 */

export const DEFAULT_TOLERANCE_SECONDS = 5 * 60;
const SECRET_PREFIX = "whsec_";

export type WebhookErrorCode = "missing_header" | "invalid_timestamp" | "timestamp_out_of_tolerance" | "invalid_signature";

/** A delivery that does not verify: answer it with a 4xx and do not act on it. */
export class WebhookVerificationError extends HooklineError {
  declare readonly code: WebhookErrorCode;

  constructor(code: WebhookErrorCode, message: string) {
    super({ message, status: 0, code });
    this.name = "WebhookVerificationError";
  }
}

/** Headers as a `Headers` object (fetch, edge runtimes) or a plain object (Node's `req.headers`). */
export type WebhookHeaders = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

/** The envelope every delivery carries. */
export interface WebhookEvent<Data = Record<string, unknown>> {
  /** The event's id (the delivery's is the `webhook-id` header). */
  readonly id: string;
  readonly type: string;
  readonly timestamp: string;
  readonly data: Data;
}

export interface WebhookOptions {
  /** How far `webhook-timestamp` may be from now, either way; 5 minutes by default. */
  readonly toleranceSeconds?: number;
}

export class Webhook {
  private readonly keys: Promise<CryptoKey[]>;
  private readonly toleranceSeconds: number;

  /**
   * `secret` is the endpoint's `whsec_…` secret; pass several during a rotation (the new one and
   * the one it replaces) and a delivery signed with any of them verifies.
   */
  constructor(secret: string | readonly string[], options: WebhookOptions = {}) {
    const secrets = typeof secret === "string" ? [secret] : [...secret];
    if (secrets.length === 0) throw new TypeError("Webhook: at least one secret is required");
    const raw = secrets.map(secretBytes);
    this.keys = Promise.all(raw.map((bytes) => importKey(bytes, ["sign", "verify"])));
    this.toleranceSeconds = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  }

  /**
   * Checks the signature and the timestamp of a delivery and returns its parsed body. `payload`
   * must be the raw body as received, before any JSON parsing: a re-serialised body differs.
   * Throws WebhookVerificationError when it does not verify.
   */
  async verify<Data = Record<string, unknown>>(payload: string | Uint8Array, headers: WebhookHeaders): Promise<WebhookEvent<Data>> {
    const id = header(headers, "webhook-id");
    const timestamp = header(headers, "webhook-timestamp");
    const signatures = header(headers, "webhook-signature");
    if (id === undefined || timestamp === undefined || signatures === undefined) {
      throw new WebhookVerificationError("missing_header", "The webhook-id, webhook-timestamp and webhook-signature headers are required.");
    }
    this.checkTimestamp(timestamp);
    const body = typeof payload === "string" ? encode(payload) : payload;
    const signed = concat(encode(`${id}.${timestamp}.`), body);
    const candidates = signatures
      .split(" ")
      .map((entry) => entry.split(","))
      .filter(([version, value]) => version === "v1" && value !== undefined)
      .map(([, value]) => fromBase64(value!))
      .filter((bytes): bytes is Uint8Array<ArrayBuffer> => bytes !== undefined);
    // subtle.verify compares in constant time; every key is tried against every signature.
    for (const key of await this.keys) {
      for (const candidate of candidates) {
        if (await crypto.subtle.verify("HMAC", key, candidate, signed)) {
          return JSON.parse(new TextDecoder().decode(body)) as WebhookEvent<Data>;
        }
      }
    }
    throw new WebhookVerificationError("invalid_signature", "No signature in webhook-signature matches the secret.");
  }

  /**
   * The `webhook-signature` value (`v1,<base64>`, one per secret) for a payload: to test a
   * receiver, or to sign on the first secret's behalf.
   */
  async sign(id: string, timestamp: number | Date, payload: string | Uint8Array): Promise<string> {
    const seconds = typeof timestamp === "number" ? timestamp : Math.floor(timestamp.getTime() / 1000);
    const body = typeof payload === "string" ? encode(payload) : payload;
    const signed = concat(encode(`${id}.${seconds}.`), body);
    const signatures = await Promise.all(
      (await this.keys).map(async (key) => `v1,${toBase64(new Uint8Array(await crypto.subtle.sign("HMAC", key, signed)))}`),
    );
    return signatures.join(" ");
  }

  private checkTimestamp(value: string): void {
    if (!/^\d+$/.test(value)) throw new WebhookVerificationError("invalid_timestamp", "webhook-timestamp is not a number of seconds.");
    const skew = Math.abs(Date.now() / 1000 - Number(value));
    if (skew > this.toleranceSeconds) {
      throw new WebhookVerificationError(
        "timestamp_out_of_tolerance",
        `webhook-timestamp is more than ${this.toleranceSeconds} s from now: a replay, or a clock that is off.`,
      );
    }
  }
}

function header(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name) ?? undefined;
  const record = headers as Readonly<Record<string, string | readonly string[] | undefined>>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  return typeof value === "string" ? value : value?.join(" ");
}

/** `whsec_<base64>` (or the bare base64, as the reference library also takes it). */
function secretBytes(secret: string): Uint8Array<ArrayBuffer> {
  const bytes = fromBase64(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret);
  if (bytes === undefined || bytes.length === 0) throw new TypeError("Webhook: the secret is not whsec_ followed by base64");
  return bytes;
}

function importKey(bytes: Uint8Array<ArrayBuffer>, usages: KeyUsage[]): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", bytes, { name: "HMAC", hash: "SHA-256" }, false, usages);
}

const encode = (text: string): Uint8Array<ArrayBuffer> => new TextEncoder().encode(text);

function concat(a: Uint8Array, b: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> | undefined {
  try {
    const binary = atob(text);
    return Uint8Array.from(binary, (char) => char.charCodeAt(0));
  } catch {
    return undefined;
  }
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}
