/**
 * Response, close to the Fetch standard for what a workflow needs: status (200 by default,
 * RangeError outside 200–599), statusText, headers, a body that is a string, bytes, URLSearchParams
 * or nothing, text()/json()/arrayBuffer()/bytes(), clone(), Response.json() and Response.redirect().
 * The state is kept in private fields: a Proxy or a look-alike object is not a Response, and
 * `responseState` (the prelude's, never the tenant's) reads what the host will get, whatever the
 * tenant did to Response.prototype.
 */
export const RESPONSE = String.raw`
const REASON_PHRASE = /^[\t\x20-\x7e\x80-\xff]*$/;
const isNullBodyStatus = (status) => status === 101 || status === 103 || status === 204 || status === 205 || status === 304;

let responseState;
let responseFromHost;

/** Body text or bytes, and the content type it implies when none was set. */
const extractBody = (body) => {
  if (body === undefined || body === null) return { __proto__: null, body: null, type: null };
  if (typeof body === "string") return { __proto__: null, body, type: "text/plain;charset=UTF-8" };
  if (isObjectLike(body)) {
    const params = searchParamsText(body);
    if (params !== null) return { __proto__: null, body: params, type: "application/x-www-form-urlencoded;charset=UTF-8" };
    const bytes = copyBytes(body);
    if (bytes !== null) return { __proto__: null, body: bytes, type: null };
  }
  return { __proto__: null, body: StringC(body), type: "text/plain;charset=UTF-8" };
};

const bodyText = (body) => (body === null ? "" : typeof body === "string" ? body : host.utf8Decode(bufferOf(body), 0));

class Response {
  #status = 200;
  #statusText = "";
  #headers;
  #body = null;
  #url = "";
  #bodyUsed = false;

  constructor(body = null, init = undefined) {
    const options = init === undefined || init === null ? { __proto__: null } : init;
    if (!isObjectLike(options)) throw new TypeErrorC("Response: init must be an object");
    const status = options.status === undefined ? 200 : NumberC(options.status);
    if (!NumberIsInteger(status) || status < 200 || status > 599) {
      throw new RangeErrorC("Response: status must be an integer from 200 to 599, got " + StringC(options.status));
    }
    const statusText = options.statusText === undefined ? "" : StringC(options.statusText);
    if (!matches(REASON_PHRASE, statusText)) throw new TypeErrorC("Response: invalid statusText");
    this.#status = status;
    this.#statusText = statusText;
    this.#headers = new Headers(options.headers);
    const extracted = extractBody(body);
    if (extracted.body !== null) {
      if (isNullBodyStatus(status)) throw new TypeErrorC("Response: a " + status + " response cannot have a body");
      if (extracted.type !== null && !this.#headers.has("content-type")) this.#headers.set("content-type", extracted.type);
    }
    this.#body = extracted.body;
  }

  get status() {
    return this.#status;
  }
  get ok() {
    return this.#status >= 200 && this.#status <= 299;
  }
  get statusText() {
    return this.#statusText;
  }
  get headers() {
    return this.#headers;
  }
  get url() {
    return this.#url;
  }
  get redirected() {
    return false;
  }
  get type() {
    return "default";
  }
  get bodyUsed() {
    return this.#bodyUsed;
  }
  get body() {
    return null; // no streams here: read it with text(), json(), arrayBuffer() or bytes()
  }

  #consume() {
    if (this.#bodyUsed) return PromiseReject(new TypeErrorC("Response: body already used"));
    this.#bodyUsed = true;
    return null;
  }

  text() {
    const used = this.#consume();
    if (used !== null) return used;
    try {
      return PromiseResolve(bodyText(this.#body));
    } catch (error) {
      return PromiseReject(error);
    }
  }

  json() {
    const used = this.#consume();
    if (used !== null) return used;
    try {
      return PromiseResolve(JSONParse(bodyText(this.#body)));
    } catch (error) {
      return PromiseReject(error);
    }
  }

  arrayBuffer() {
    const used = this.#consume();
    if (used !== null) return used;
    const body = this.#body;
    try {
      return PromiseResolve(body === null ? new ArrayBufferC(0) : typeof body === "string" ? host.utf8Encode(body) : bufferOf(body));
    } catch (error) {
      return PromiseReject(error);
    }
  }

  bytes() {
    return then(this.arrayBuffer(), (buffer) => new Uint8ArrayC(buffer));
  }

  clone() {
    if (this.#bodyUsed) throw new TypeErrorC("Response: body already used");
    const copy = new Response(null, { __proto__: null, status: this.#status, statusText: this.#statusText, headers: this.#headers });
    copy.#body = this.#body === null || typeof this.#body === "string" ? this.#body : copyBytes(this.#body);
    copy.#url = this.#url;
    return copy;
  }

  get [SymbolToStringTag]() {
    return "Response";
  }

  static json(data, init = undefined) {
    const text = JSONStringify(data);
    if (text === undefined) throw new TypeErrorC("Response.json: the value cannot be serialized as JSON");
    const response = new Response(null, init);
    if (isNullBodyStatus(response.#status)) throw new TypeErrorC("Response: a " + response.#status + " response cannot have a body");
    if (!response.#headers.has("content-type")) response.#headers.set("content-type", "application/json");
    response.#body = text;
    return response;
  }

  static redirect(url, status = 302) {
    const code = NumberC(status);
    if (code !== 301 && code !== 302 && code !== 303 && code !== 307 && code !== 308) throw new RangeErrorC("Response.redirect: invalid status " + StringC(status));
    const UrlClass = part("url").URL;
    const location = new UrlClass(StringC(url)).href;
    return new Response(null, { __proto__: null, status: code, headers: [["location", location]] });
  }

  static __state(response) {
    if (!isObjectLike(response) || !(#body in response)) return null;
    return { __proto__: null, status: response.#status, statusText: response.#statusText, headers: headerPairs(response.#headers), body: response.#body };
  }

  static __fromHost(status, pairs, body, url) {
    const response = new Response(null);
    response.#status = status;
    response.#headers = headersFromTrustedPairs(pairs);
    response.#body = body;
    response.#url = url;
    return response;
  }
}
responseState = Response.__state;
responseFromHost = Response.__fromHost;
delete Response.__state;
delete Response.__fromHost;
`;
