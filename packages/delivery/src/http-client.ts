import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from "node:dns";
import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import got, { RequestError } from "got";
import { BlockedAddressError, type AddressPolicy } from "./address-policy.js";
import { fixGotRequestOptions } from "./got-request-options.js";
import { parseRetryAfter } from "./retry-schedule.js";

/** What the receiver did with one request, as far as we could see it. */
export interface AttemptResult {
  readonly startedAt: Date;
  readonly durationMs: number;
  readonly statusCode?: number | undefined;
  readonly headers?: Record<string, string> | undefined;
  /** The first `maxBodyBytes` of the response body, as text. */
  readonly body?: string | undefined;
  readonly retryAfterMs?: number | undefined;
  readonly errorKind?: ErrorKind | undefined;
  readonly errorMessage?: string | undefined;
}

export type ErrorKind = "timeout" | "dns" | "connection" | "tls" | "network" | "oauth" | "blocked_address";

export interface WebhookRequest {
  /** POST unless said otherwise (a workflow's `utils.fetch` may GET, PUT, …). */
  readonly method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | undefined;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body?: string | undefined;
  readonly timeoutMs: number;
  /** Overrides the client's body cap for this request (an OAuth token response, say). */
  readonly maxBodyBytes?: number;
}

/** Resolves a host name to every address it has; tests inject one to play DNS tricks. */
export type Resolver = (hostname: string, family: 0 | 4 | 6) => Promise<LookupAddress[]>;

export interface HttpClientOptions {
  /** Response bytes kept for the attempt log; the rest is read no further. */
  readonly maxBodyBytes: number;
  readonly maxSocketsPerHost?: number;
  /** Which addresses may be connected to (the SSRF guard). */
  readonly policy: AddressPolicy;
  readonly resolve?: Resolver;
}

const systemResolver: Resolver = (hostname, family) =>
  new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true, family }, (error, addresses) => (error ? reject(error) : resolve(addresses))),
  );

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * The lookup every connection makes: resolve, check every answer against the policy, and hand
 * the socket exactly the addresses that were checked, so that a second resolution (DNS
 * rebinding) never happens between the check and the connect. One refused answer refuses the
 * host: a name that mixes public and private addresses is not one we can safely half-trust.
 */
function guardedLookup(policy: AddressPolicy, resolve: Resolver) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    const family = options.family === 4 || options.family === 6 ? options.family : 0;
    resolve(hostname, family).then(
      (addresses) => {
        if (addresses.length === 0) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: "ENOTFOUND" }), []);
        for (const { address } of addresses) {
          const verdict = policy.check(address);
          if (!verdict.allowed) return callback(new BlockedAddressError(hostname, address, verdict.rule), []);
        }
        if (options.all) return callback(null, addresses);
        const [first] = addresses as [LookupAddress];
        callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, []),
    );
  };
}

const TLS_CODES = /^(CERT_|ERR_TLS|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_SSL)/;

function errorKind(error: unknown): ErrorKind {
  const code = (error as { code?: string }).code ?? "";
  if (code === "EHOOKLINE_BLOCKED") return "blocked_address";
  if (code === "ETIMEDOUT" || (error as Error).name === "TimeoutError") return "timeout";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "EAI_NONAME") return "dns";
  if (TLS_CODES.test(code)) return "tls";
  if (["ECONNREFUSED", "ECONNRESET", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "ECONNABORTED"].includes(code)) return "connection";
  return "network";
}

/**
 * Sends webhooks with got: keep-alive agents shared by all deliveries of the process, the
 * endpoint's timeout as the deadline of the whole request (connect, send, response and body),
 * redirects never followed, got's own retries off (the engine owns retries), and the response
 * body read only up to a cap. The options every request shares are merged once, into an instance.
 */
export function createHttpClient(options: HttpClientOptions) {
  fixGotRequestOptions();
  const agentOptions = { keepAlive: true, maxSockets: options.maxSocketsPerHost ?? 64, scheduling: "lifo" as const };
  const agent = { http: new HttpAgent(agentOptions), https: new HttpsAgent(agentOptions) };
  const lookup = guardedLookup(options.policy, options.resolve ?? systemResolver);
  const client = got.extend({
    followRedirect: false,
    retry: { limit: 0 },
    throwHttpErrors: false,
    agent,
    dnsLookup: lookup,
    decompress: true,
  });

  /** Node connects to IP literals without a lookup, so those are checked here, before any socket. */
  function refusedLiteral(url: string): BlockedAddressError | undefined {
    const literal = options.policy.literalHost(url);
    if (literal === undefined) return undefined;
    const verdict = options.policy.check(literal);
    return verdict.allowed ? undefined : new BlockedAddressError(literal, literal, verdict.rule);
  }

  async function send(request: WebhookRequest): Promise<AttemptResult> {
    const startedAt = new Date();
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    let statusCode: number | undefined;
    let headers: Record<string, string> | undefined;
    let retryAfterMs: number | undefined;
    const chunks: Buffer[] = [];
    const cap = request.maxBodyBytes ?? options.maxBodyBytes;
    let kept = 0;
    try {
      const refused = refusedLiteral(request.url);
      if (refused) throw refused;
      const stream = client.stream(request.url, {
        method: request.method ?? "POST",
        headers: request.headers,
        ...(request.body !== undefined && request.method !== "GET" && request.method !== "HEAD" && { body: request.body }),
        timeout: { request: request.timeoutMs },
      });
      stream.once("response", (response: { statusCode: number; headers: Record<string, string | string[] | undefined> }) => {
        statusCode = response.statusCode;
        headers = flattenHeaders(response.headers);
        retryAfterMs = parseRetryAfter(headers["retry-after"]);
      });
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        if (kept < cap) {
          const part = chunk.subarray(0, cap - kept);
          chunks.push(part);
          kept += part.length;
        }
        if (kept >= cap) {
          stream.destroy();
          break;
        }
      }
      return { startedAt, durationMs: elapsed(), statusCode, headers, body: Buffer.concat(chunks).toString("utf8"), retryAfterMs };
    } catch (error) {
      const message = error instanceof RequestError || error instanceof Error ? error.message : String(error);
      return {
        startedAt,
        durationMs: elapsed(),
        // A status already received stays the outcome; the error only cut the body short.
        statusCode,
        headers,
        body: chunks.length ? Buffer.concat(chunks).toString("utf8") : undefined,
        retryAfterMs,
        errorKind: statusCode === undefined ? errorKind(error) : undefined,
        errorMessage: message.slice(0, 500),
      };
    }
  }

  return {
    send,
    close() {
      agent.http.destroy();
      agent.https.destroy();
    },
  };
}

export type HttpClient = ReturnType<typeof createHttpClient>;

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}
