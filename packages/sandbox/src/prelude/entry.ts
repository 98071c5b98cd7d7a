/**
 * What the host calls: `start` runs the workflow and settles with a record the host reads,
 * `describeError` turns a thrown value into name/message/stack strings. Both run inside the sandbox
 * under the invocation's CPU budget, so a Proxy or a getter that loops is stopped like any loop.
 * Records handed to the host have a null prototype and only string or number fields (the body may
 * be an ArrayBuffer), built by literals: no setter or getter of the tenant's runs while they are built.
 */
export const ENTRY = String.raw`
/**
 * The invocation running now, counted from 1. A context may serve many invocations of one workflow
 * (a warm context, see the README): request, env and utils are made anew by every call of start,
 * and a utils object answers only during its own invocation.
 */
let currentCall = 0;
/** The workflow module's namespace, once its evaluation settled (the first invocation in this context). */
let loadedNamespace = null;

const endedError = (name) => new TypeErrorC("utils." + name + ": this utils object belongs to an invocation that has ended");

/** The utils of one invocation, whose implementations are a part compiled on the first call of any of them. */
const makeUtils = (call, body, headerList) => {
  const live = () => currentCall === call;
  return ObjectFreeze({
    publish: (input) => (live() ? part("utils").publish(input) : PromiseReject(endedError("publish"))),
    fetch: (input, init = undefined) => (live() ? part("utils").fetch(input, init) : PromiseReject(endedError("fetch"))),
    verifyWebhook: (options) => {
      if (!live()) throw endedError("verifyWebhook");
      return part("utils").verifyWebhook(options, body, headerList);
    },
    hmac: (algorithm, key, data, encoding = "hex") => {
      if (!live()) throw endedError("hmac");
      return part("utils").hmac(algorithm, key, data, encoding);
    },
    timingSafeEqual: (a, b) => {
      if (!live()) throw endedError("timingSafeEqual");
      return part("utils").timingSafeEqual(a, b);
    },
    log(...args) {
      if (!live()) throw endedError("log");
      host.log("log", format(args));
    },
  });
};

/** The request's header pairs, copied out of the parsed metadata. */
const requestPairs = (meta) => {
  const pairs = [];
  for (let i = 0; i < meta.headers.length; i++) push(pairs, [meta.headers[i][0], meta.headers[i][1]]);
  return pairs;
};

const makeRequest = (meta, pairs, body) => {
  const copyPairs = [];
  for (let i = 0; i < pairs.length; i++) push(copyPairs, [pairs[i][0], pairs[i][1]]);
  return ObjectFreeze({
    method: meta.method,
    url: meta.url,
    path: meta.path,
    params: ObjectFreeze(meta.params),
    query: ObjectFreeze(meta.query),
    headers: headersFromTrustedPairs(copyPairs),
    text() {
      return PromiseResolve(body);
    },
    json() {
      try {
        return PromiseResolve(JSONParse(body));
      } catch (error) {
        return PromiseReject(error);
      }
    },
  });
};

const describeValue = (value) => {
  if (value === undefined || value === null) return StringC(value);
  if (typeof value === "object") return ArrayIsArray(value) ? "an array" : "an object";
  return "a " + typeof value;
};

const invalid = (message) => ({ __proto__: null, kind: "invalid", message });

const extract = (value, responseBytes) => {
  const state = responseState(value);
  if (state === null) return invalid("the workflow returned " + describeValue(value) + ", not a Response");
  let headerText = "";
  for (let i = 0; i < state.headers.length; i++) headerText += (i === 0 ? "" : "\n") + state.headers[i][0] + "\n" + state.headers[i][1];
  const body = state.body;
  const tooLarge = "the response body is larger than the limit of " + responseBytes + " bytes (responseBytes)";
  if (body === null) return { __proto__: null, kind: "response", status: state.status, headerText, bodyKind: "none", body: "" };
  if (typeof body === "string") {
    if (body.length > responseBytes) return invalid(tooLarge);
    return { __proto__: null, kind: "response", status: state.status, headerText, bodyKind: "text", body };
  }
  if (ReflectApply(TypedArrayByteLength, body, []) > responseBytes) return invalid(tooLarge);
  return { __proto__: null, kind: "response", status: state.status, headerText, bodyKind: "bytes", body: bufferOf(body) };
};

/**
 * A flow's result as JSON text, with the JSON.stringify captured before any tenant code ran: a
 * replaced JSON.stringify is never called. toJSON methods (the value's own or inherited, those the
 * tenant put on Object.prototype or Array.prototype included) run, as JSON.stringify's semantics
 * say, as the tenant's code under its budget; whatever they return is serialised by the real
 * JSON.stringify, so the text is JSON whatever they do.
 */
const extractFlowResult = (value, responseBytes) => {
  if (value === undefined) return { __proto__: null, kind: "undefined", json: "" };
  if (responseState(value) !== null) return invalid("a flow returns data, not a Response: return the value itself");
  let json;
  try {
    json = JSONStringify(value);
  } catch (thrown) {
    throw notSerialisable(thrown);
  }
  if (json === undefined) return invalid("the flow returned " + describeValue(value) + ", which cannot be serialised as JSON");
  if (json.length > responseBytes) return invalid("the flow's result is larger than the limit of " + responseBytes + " bytes of JSON (responseBytes)");
  return { __proto__: null, kind: "json", json };
};

/**
 * What JSON.stringify threw (a BigInt, a cycle, a structure too deep, a toJSON that threw), as a
 * TypeError that says so, keeping the thrown value's stack (a tenant's toJSON keeps its line).
 * Running out of memory is left as it is: the host reports it as memory_limit.
 */
const notSerialisable = (thrown) => {
  const described = describeError(thrown);
  if (described.name === "InternalError" && (described.message === "out of memory" || described.message === "string too long")) return thrown;
  const error = new TypeErrorC("the flow's result cannot be serialised as JSON: " + described.message);
  if (described.stack !== "") ObjectDefineProperty(error, "stack", { __proto__: null, value: described.stack, writable: true, configurable: true });
  return error;
};

/** The caller's context (JSON text of an object), parsed and frozen all the way down: plain data of this realm. */
const frozenContext = (contextJson) => {
  const root = JSONParse(contextJson);
  const stack = [root];
  while (stack.length > 0) {
    const value = stack[stack.length - 1];
    stack.length = stack.length - 1;
    ObjectFreeze(value);
    const names = ObjectKeys(value);
    for (let i = 0; i < names.length; i++) {
      const child = value[names[i]];
      if (isObjectLike(child)) push(stack, child);
    }
  }
  return root;
};

const ARGUMENT_NAMES = ["request", "env", "utils"];

/** The default export's argument: request, env and utils, then the context's properties (the host refuses the three names in it). */
const makeArgument = (request, env, utils, contextJson) => {
  const argument = { request, env, utils };
  if (contextJson !== "") {
    const context = frozenContext(contextJson);
    const names = ObjectKeys(context);
    for (let i = 0; i < names.length; i++) {
      const name = names[i];
      let reserved = false;
      for (let j = 0; j < ARGUMENT_NAMES.length; j++) if (ARGUMENT_NAMES[j] === name) reserved = true;
      if (!reserved) ObjectDefineProperty(argument, name, { __proto__: null, value: context[name], writable: true, enumerable: true, configurable: true });
    }
  }
  return ObjectFreeze(argument);
};

/**
 * What start is given for the module: 0 in a warm context (the namespace is loaded already), 1 a
 * namespace, 2 a promise of one. flow: 1 for a flow (its result is data), 0 for an endpoint
 * workflow (a Response). contextJson: "" for no context.
 */
const start = (evaluated, evaluatedKind, metaJson, body, envJson, responseBytes, maxLogChars, flow, contextJson) => {
  const call = ++currentCall;
  logChars = maxLogChars;
  const noun = flow === 1 ? "flow" : "workflow";
  const run = async () => {
    if (evaluatedKind !== 0) loadedNamespace = evaluatedKind === 2 ? await evaluated : evaluated;
    if (loadedNamespace === null) return invalid("the " + noun + " module was not evaluated");
    const workflow = loadedNamespace.default;
    if (typeof workflow !== "function") return invalid("the " + noun + "'s default export is " + describeValue(workflow) + ", not a function");
    const meta = JSONParse(metaJson);
    const pairs = requestPairs(meta);
    const request = makeRequest(meta, pairs, body);
    const env = ObjectFreeze(JSONParse(envJson));
    const utils = makeUtils(call, body, pairs);
    const result = await workflow(makeArgument(request, env, utils, contextJson));
    return flow === 1 ? extractFlowResult(result, responseBytes) : extract(result, responseBytes);
  };
  return run();
};

const describeError = (thrown) => {
  let name = "Error";
  let message = "";
  let stack = "";
  try {
    if (isObjectLike(thrown)) {
      const n = thrown.name;
      const m = thrown.message;
      const s = thrown.stack;
      if (typeof n === "string") name = n;
      message = typeof m === "string" ? m : m === undefined ? "" : StringC(m);
      if (typeof s === "string") stack = s;
    } else {
      message = typeof thrown === "symbol" ? "a symbol" : StringC(thrown);
    }
  } catch {
    message = "(the thrown value could not be read)";
  }
  return { __proto__: null, name: slice(StringC(name), 0, 200), message: slice(StringC(message), 0, 4096), stack: slice(StringC(stack), 0, 16384) };
};
`;

/** A part compiled on first use: the implementations behind utils. */
export const UTILS_PART = String.raw`
const TOKEN_METHOD = /^[!#$%&'*+\-.^_|~0-9A-Za-z]+$/;
const ALGORITHMS = ["sha1", "sha256", "sha512"];
const ENCODINGS = ["hex", "base64", "base64url"];
const PROVIDERS = ["stripe", "github", "standard"];
const oneOf = (list, value) => {
  for (let i = 0; i < list.length; i++) if (list[i] === value) return true;
  return false;
};

const hostError = (raw) => {
  let parsed;
  try {
    parsed = JSONParse(raw);
  } catch {
    parsed = { message: "the host call failed", code: "internal" };
  }
  const error = new ErrorC(typeof parsed.message === "string" ? parsed.message : "the host call failed");
  error.name = "HostCallError";
  error.code = typeof parsed.code === "string" ? parsed.code : "internal";
  if (parsed.details !== undefined) error.details = parsed.details;
  return error;
};

const optionalString = (value, what) => {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw new TypeErrorC(what + " must be a string");
  return value;
};

const headerPairsOf = (init) => {
  const pairs = headerPairs(new Headers(init));
  const copy = [];
  for (let i = 0; i < pairs.length; i++) push(copy, [pairs[i][0], pairs[i][1]]);
  return copy;
};

const publish = (input) => {
  try {
    if (!isObjectLike(input)) throw new TypeErrorC("utils.publish: expected { event_type, data }");
    const eventType = input.event_type;
    if (typeof eventType !== "string" || eventType === "") throw new TypeErrorC("utils.publish: event_type must be a non-empty string");
    const data = JSONStringify(input.data === undefined ? null : input.data);
    if (data === undefined) throw new TypeErrorC("utils.publish: data cannot be serialized as JSON");
    const objectId = optionalString(input.object_id, "utils.publish: object_id");
    const idempotencyKey = optionalString(input.idempotency_key, "utils.publish: idempotency_key");
    const customerId = optionalString(input.customer_id, "utils.publish: customer_id");
    const customerExternalId = optionalString(input.customer_external_id, "utils.publish: customer_external_id");
    let payload = '{"event_type":' + JSONStringify(eventType) + ',"data":' + data;
    if (objectId !== undefined) payload += ',"object_id":' + JSONStringify(objectId);
    if (idempotencyKey !== undefined) payload += ',"idempotency_key":' + JSONStringify(idempotencyKey);
    if (customerId !== undefined) payload += ',"customer_id":' + JSONStringify(customerId);
    if (customerExternalId !== undefined) payload += ',"customer_external_id":' + JSONStringify(customerExternalId);
    payload += "}";
    return then(
      host.publish(payload),
      (json) => {
        const result = JSONParse(json);
        return ObjectFreeze({ id: result.id, event_type: result.event_type, deliveries: result.deliveries });
      },
      (raw) => {
        throw hostError(raw);
      },
    );
  } catch (error) {
    return PromiseReject(error);
  }
};

const fetch = (input, init = undefined) => {
  try {
    // A URL object gives its href; the thread checks that it is an http(s) URL.
    const url = StringC(input);
    const options = isObjectLike(init) ? init : { __proto__: null };
    const method = options.method === undefined ? "GET" : upper(StringC(options.method));
    if (!matches(TOKEN_METHOD, method)) throw new TypeErrorC("utils.fetch: invalid method");
    const headers = new Headers(options.headers);
    let body;
    if (options.body !== undefined && options.body !== null) {
      if (typeof options.body === "string") body = options.body;
      else {
        body = searchParamsText(options.body);
        if (body === null) throw new TypeErrorC("utils.fetch: the body must be a string or URLSearchParams");
        if (!headers.has("content-type")) headers.set("content-type", "application/x-www-form-urlencoded;charset=UTF-8");
      }
      if (method === "GET" || method === "HEAD") throw new TypeErrorC("utils.fetch: a " + method + " request cannot have a body");
    }
    let payload = '{"url":' + JSONStringify(url) + ',"method":' + JSONStringify(method) + ',"headers":' + pairsJson(headerPairs(headers));
    if (body !== undefined) payload += ',"body":' + JSONStringify(body);
    payload += "}";
    return then(
      host.fetch(payload),
      (json) => {
        const result = JSONParse(json);
        const pairs = [];
        for (let i = 0; i < result.headers.length; i++) push(pairs, [result.headers[i][0], result.headers[i][1]]);
        return responseFromHost(result.status, pairs, result.body, url);
      },
      (raw) => {
        throw hostError(raw);
      },
    );
  } catch (error) {
    return PromiseReject(error);
  }
};

/** body and headerList: the invocation's own request, what is verified unless options say otherwise. */
const verifyWebhook = (options, body, headerList) => {
  if (!isObjectLike(options)) throw new TypeErrorC("utils.verifyWebhook: expected { provider, secret }");
  const provider = options.provider;
  if (!oneOf(PROVIDERS, provider)) throw new TypeErrorC('utils.verifyWebhook: provider must be "stripe", "github" or "standard"');
  const secret = options.secret;
  if (typeof secret !== "string" || secret === "") throw new TypeErrorC("utils.verifyWebhook: secret must be a non-empty string");
  let payload = body;
  if (options.payload !== undefined) {
    if (typeof options.payload === "string") payload = options.payload;
    else {
      const bytes = copyBytes(options.payload);
      if (bytes === null) throw new TypeErrorC("utils.verifyWebhook: payload must be a string or bytes");
      payload = host.utf8Decode(ReflectApply(TypedArrayBuffer, bytes, []), 0);
    }
  }
  const headers = options.headers === undefined ? headerList : headerPairsOf(options.headers);
  const tolerance = options.toleranceSeconds === undefined ? 300 : NumberC(options.toleranceSeconds);
  if (!NumberIsFinite(tolerance) || tolerance < 0) throw new TypeErrorC("utils.verifyWebhook: toleranceSeconds must be a number of seconds");
  const reason = host.verifyWebhook(provider, secret, payload, pairsJson(headers), tolerance);
  if (reason !== "") host.log("debug", "utils.verifyWebhook(" + provider + "): " + reason);
  return reason === "";
};

const hmac = (algorithm, key, data, encoding = "hex") => {
  if (!oneOf(ALGORITHMS, algorithm)) throw new TypeErrorC('utils.hmac: algorithm must be "sha1", "sha256" or "sha512"');
  if (typeof key !== "string" || typeof data !== "string") throw new TypeErrorC("utils.hmac: key and data must be strings");
  if (!oneOf(ENCODINGS, encoding)) throw new TypeErrorC('utils.hmac: encoding must be "hex", "base64" or "base64url"');
  return host.hmac(algorithm, key, data, encoding);
};

const timingSafeEqual = (a, b) => {
  if (typeof a !== "string" || typeof b !== "string") throw new TypeErrorC("utils.timingSafeEqual: expected two strings");
  return host.timingSafeEqual(a, b);
};

return { __proto__: null, publish, fetch, verifyWebhook, hmac, timingSafeEqual };
`;
