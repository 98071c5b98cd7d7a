import { createHmac, randomBytes, randomUUID } from "node:crypto";
import type { QuickJSContext, QuickJSHandle } from "quickjs-emscripten-core";
import type { LogLine } from "./types.js";
import { isPartName, PARTS } from "./prelude/index.js";
import { timingSafeEqualStrings, verifyWebhookSignature, type WebhookProvider } from "./verify-webhook.js";

export type HostCallKind = "publish" | "fetch";

/** What the host functions need from the invocation that owns the context. */
export interface HostSession {
  log(level: LogLine["level"], message: string): void;
  /** Starts a host call in the main thread; returns the handle of a promise the caller owns. */
  call(kind: HostCallKind, payload: string): QuickJSHandle;
}

const LOG_LEVELS: ReadonlySet<string> = new Set(["debug", "info", "log", "warn", "error"]);
const ALGORITHMS: ReadonlySet<string> = new Set(["sha1", "sha256", "sha512"]);
const ENCODINGS: ReadonlySet<string> = new Set(["hex", "base64", "base64url"]);
const PROVIDERS: ReadonlySet<string> = new Set(["stripe", "github", "standard"]);
const URL_SETTERS: ReadonlySet<string> = new Set([
  "href",
  "protocol",
  "username",
  "password",
  "host",
  "hostname",
  "port",
  "pathname",
  "search",
  "hash",
]);
const BASE64 = /^[A-Za-z0-9+/]*$/;
const fatalDecoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const lenientDecoder = new TextDecoder("utf-8", { ignoreBOM: true });

/** The parts of a URL the prelude's URL class keeps. */
const urlParts = (url: URL): string =>
  JSON.stringify({
    href: url.href,
    origin: url.origin,
    protocol: url.protocol,
    username: url.username,
    password: url.password,
    host: url.host,
    hostname: url.hostname,
    port: url.port,
    pathname: url.pathname,
    search: url.search,
    hash: url.hash,
  });

/** The forgiving-base64 decode of the HTML standard (what atob does); null when the input is not base64. */
export function forgivingBase64Decode(input: string): string | null {
  let data = input.replace(/[\t\n\f\r ]/g, "");
  if (data.length % 4 === 0) data = data.replace(/={1,2}$/, "");
  if (data.length % 4 === 1 || !BASE64.test(data)) return null;
  return Buffer.from(data, "base64").toString("latin1");
}

/**
 * Builds the object of host functions the prelude receives. Every function checks the types of its
 * arguments itself (the prelude is the only caller, but it runs in the tenant's realm) and takes
 * and returns only strings, numbers, booleans and ArrayBuffers: no handle to a host object ever
 * enters the sandbox. They run synchronously in the worker thread, inside the invocation's CPU slice.
 */
export function createHostObject(ctx: QuickJSContext, session: HostSession): QuickJSHandle {
  const text = (handle: QuickJSHandle | undefined, what: string): string => {
    if (handle === undefined || ctx.typeof(handle) !== "string") throw new TypeError(`${what} must be a string`);
    return ctx.getString(handle);
  };
  const number = (handle: QuickJSHandle | undefined, what: string): number => {
    if (handle === undefined || ctx.typeof(handle) !== "number") throw new TypeError(`${what} must be a number`);
    return ctx.getNumber(handle);
  };
  const bytes = (handle: QuickJSHandle | undefined, what: string): Buffer => {
    if (handle === undefined || ctx.typeof(handle) !== "object") throw new TypeError(`${what} must be an ArrayBuffer`);
    const view = ctx.getArrayBuffer(handle);
    try {
      return Buffer.from(view.value); // a copy: the view points into the WebAssembly memory
    } finally {
      view.dispose();
    }
  };
  const arrayBuffer = (buffer: Buffer): QuickJSHandle =>
    ctx.newArrayBuffer(buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength));
  const nullable = (value: string | null): QuickJSHandle => (value === null ? ctx.null : ctx.newString(value));

  const functions: Record<string, (...args: QuickJSHandle[]) => QuickJSHandle | undefined> = {
    log: (level, message) => {
      const name = text(level, "level");
      session.log(LOG_LEVELS.has(name) ? (name as LogLine["level"]) : "log", text(message, "message"));
      return undefined;
    },
    utf8Encode: (input) => arrayBuffer(Buffer.from(text(input, "input"), "utf8")),
    utf8Decode: (input, fatal) => {
      const data = bytes(input, "input");
      if (number(fatal, "fatal") === 1) {
        try {
          return ctx.newString(fatalDecoder.decode(data));
        } catch {
          return ctx.null;
        }
      }
      return ctx.newString(lenientDecoder.decode(data));
    },
    base64Encode: (input) => ctx.newString(Buffer.from(text(input, "input"), "latin1").toString("base64")),
    base64Decode: (input) => nullable(forgivingBase64Decode(text(input, "input"))),
    randomUUID: () => ctx.newString(randomUUID()),
    randomBytes: (length) => {
      const n = number(length, "length");
      if (!Number.isInteger(n) || n < 0 || n > 65536) throw new RangeError("length must be an integer from 0 to 65536");
      return arrayBuffer(randomBytes(n));
    },
    hmac: (algorithm, key, data, encoding) => {
      const alg = text(algorithm, "algorithm");
      const enc = text(encoding, "encoding");
      if (!ALGORITHMS.has(alg)) throw new TypeError("unknown algorithm");
      if (!ENCODINGS.has(enc)) throw new TypeError("unknown encoding");
      const digest = createHmac(alg, text(key, "key"))
        .update(text(data, "data"), "utf8")
        .digest(enc as "hex" | "base64" | "base64url");
      return ctx.newString(digest);
    },
    timingSafeEqual: (a, b) => (timingSafeEqualStrings(text(a, "a"), text(b, "b")) ? ctx.true : ctx.false),
    verifyWebhook: (provider, secret, payload, headers, tolerance) => {
      const name = text(provider, "provider");
      if (!PROVIDERS.has(name)) throw new TypeError("unknown provider");
      const pairs = parsePairs(text(headers, "headers"));
      const reason = verifyWebhookSignature({
        provider: name as WebhookProvider,
        secret: text(secret, "secret"),
        payload: text(payload, "payload"),
        headers: pairs.map(([key, value]) => [key.toLowerCase(), value]),
        toleranceSeconds: number(tolerance, "toleranceSeconds"),
      });
      return ctx.newString(reason);
    },
    urlParse: (input, base) => {
      const href = text(input, "url");
      const baseHref = base === undefined || ctx.typeof(base) === "undefined" ? undefined : text(base, "base");
      try {
        return ctx.newString(urlParts(new URL(href, baseHref)));
      } catch {
        return ctx.null;
      }
    },
    urlSet: (href, key, value) => {
      const name = text(key, "key");
      if (!URL_SETTERS.has(name)) throw new TypeError("unknown URL part");
      try {
        const url = new URL(text(href, "href"));
        (url as unknown as Record<string, string>)[name] = text(value, "value");
        return ctx.newString(urlParts(url));
      } catch {
        return ctx.null; // only an invalid href throws; the other setters ignore invalid values
      }
    },
    formParse: (input) => ctx.newString(JSON.stringify([...new URLSearchParams(text(input, "input"))])),
    formSerialize: (pairs) => ctx.newString(new URLSearchParams(parsePairs(text(pairs, "pairs"))).toString()),
    // Compiles a part of the prelude the first time the workflow needs it (see prelude/index.ts).
    loadPart: (name) => {
      const part = text(name, "name");
      if (!isPartName(part)) throw new TypeError("unknown part");
      return ctx.evalCode(PARTS[part], `hookline:${part}.js`, { type: "global", strict: true }).unwrap();
    },
    publish: (payload) => session.call("publish", text(payload, "payload")),
    fetch: (payload) => session.call("fetch", text(payload, "payload")),
  };

  const hostObject = ctx.newObject(ctx.null); // no prototype: every name the prelude reads is an own property
  for (const [name, implementation] of Object.entries(functions)) {
    const fn = ctx.newFunction(name, (...args) => implementation(...args));
    ctx.setProp(hostObject, name, fn);
    fn.dispose();
  }
  return hostObject;
}

/** Pairs as the prelude sends them: a JSON array of [string, string]. */
function parsePairs(json: string): [string, string][] {
  const parsed: unknown = JSON.parse(json);
  if (!Array.isArray(parsed)) throw new TypeError("expected pairs");
  return parsed.map((pair: unknown) => {
    if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== "string" || typeof pair[1] !== "string") {
      throw new TypeError("expected pairs of strings");
    }
    return [pair[0], pair[1]];
  });
}
