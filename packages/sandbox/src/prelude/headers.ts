/**
 * Headers, close to the Fetch standard: case-insensitive names, values trimmed, names and values
 * checked as HTTP allows (TypeError otherwise), iteration sorted by name with values combined
 * (set-cookie kept apart). The list lives in a private field; `headerPairs` is how the prelude
 * (never the tenant) reads it.
 */
export const HEADERS = String.raw`
const TOKEN = /^[!#$%&'*+\-.^_\x60|~0-9A-Za-z]+$/;
const INVALID_VALUE = /[\0\r\n]|[^\0-\xff]/;
const HTTP_WHITESPACE = /^[\t\n\r ]+|[\t\n\r ]+$/g;
const StringReplace = String.prototype.replace;

const headerName = (name) => {
  const text = StringC(name);
  if (!matches(TOKEN, text)) throw new TypeErrorC("Invalid header name: " + JSONStringify(slice(text, 0, 100)));
  return lower(text);
};
const headerValue = (value) => {
  const text = ReflectApply(StringReplace, StringC(value), [HTTP_WHITESPACE, ""]);
  if (matches(INVALID_VALUE, text)) throw new TypeErrorC("Invalid header value (control characters or characters above U+00FF)");
  return text;
};

let headerPairs;
let headersFromTrustedPairs;

class Headers {
  #list = [];

  constructor(init = undefined) {
    if (init === undefined || init === null) return;
    if (!isObjectLike(init)) throw new TypeErrorC("Headers: init must be an object, an array of pairs or Headers");
    if (#list in init) {
      const source = init.#list;
      for (let i = 0; i < source.length; i++) push(this.#list, [source[i][0], source[i][1]]);
      return;
    }
    if (ArrayIsArray(init)) {
      for (let i = 0; i < init.length; i++) this.#appendPair(init[i]);
      return;
    }
    if (typeof init[SymbolIterator] === "function") {
      for (const pair of init) this.#appendPair(pair);
      return;
    }
    const names = ObjectKeys(init);
    for (let i = 0; i < names.length; i++) this.append(names[i], init[names[i]]);
  }

  #appendPair(pair) {
    if (!isObjectLike(pair) || pair.length !== 2) throw new TypeErrorC("Headers: each pair must be [name, value]");
    this.append(pair[0], pair[1]);
  }

  append(name, value) {
    push(this.#list, [headerName(name), headerValue(value)]);
  }

  set(name, value) {
    const key = headerName(name);
    const text = headerValue(value);
    const next = [];
    let placed = false;
    for (let i = 0; i < this.#list.length; i++) {
      const entry = this.#list[i];
      if (entry[0] !== key) push(next, entry);
      else if (!placed) {
        push(next, [key, text]);
        placed = true;
      }
    }
    if (!placed) push(next, [key, text]);
    this.#list = next;
  }

  delete(name) {
    const key = headerName(name);
    const next = [];
    for (let i = 0; i < this.#list.length; i++) if (this.#list[i][0] !== key) push(next, this.#list[i]);
    this.#list = next;
  }

  get(name) {
    const key = headerName(name);
    let found = null;
    for (let i = 0; i < this.#list.length; i++) {
      if (this.#list[i][0] === key) found = found === null ? this.#list[i][1] : found + ", " + this.#list[i][1];
    }
    return found;
  }

  getSetCookie() {
    const values = [];
    for (let i = 0; i < this.#list.length; i++) if (this.#list[i][0] === "set-cookie") push(values, this.#list[i][1]);
    return values;
  }

  has(name) {
    const key = headerName(name);
    for (let i = 0; i < this.#list.length; i++) if (this.#list[i][0] === key) return true;
    return false;
  }

  /** The Fetch standard's "sort and combine": by name, same names joined by ", ", set-cookie kept one per entry. */
  #sorted() {
    const names = [];
    for (let i = 0; i < this.#list.length; i++) {
      const key = this.#list[i][0];
      let seen = false;
      for (let j = 0; j < names.length; j++) if (names[j] === key) seen = true;
      if (!seen) push(names, key);
    }
    // Insertion sort: header lists are short, and Array.prototype.sort may be the tenant's.
    for (let i = 1; i < names.length; i++) {
      const key = names[i];
      let j = i - 1;
      while (j >= 0 && names[j] > key) {
        names[j + 1] = names[j];
        j--;
      }
      names[j + 1] = key;
    }
    const out = [];
    for (let i = 0; i < names.length; i++) {
      if (names[i] === "set-cookie") {
        for (let j = 0; j < this.#list.length; j++) if (this.#list[j][0] === "set-cookie") push(out, ["set-cookie", this.#list[j][1]]);
      } else {
        push(out, [names[i], this.get(names[i])]);
      }
    }
    return out;
  }

  entries() {
    return iterate(this.#sorted());
  }

  keys() {
    const sorted = this.#sorted();
    const out = [];
    for (let i = 0; i < sorted.length; i++) push(out, sorted[i][0]);
    return iterate(out);
  }

  values() {
    const sorted = this.#sorted();
    const out = [];
    for (let i = 0; i < sorted.length; i++) push(out, sorted[i][1]);
    return iterate(out);
  }

  forEach(callback, thisArg = undefined) {
    const sorted = this.#sorted();
    for (let i = 0; i < sorted.length; i++) call(callback, thisArg, sorted[i][1], sorted[i][0], this);
  }

  [SymbolIterator]() {
    return this.entries();
  }

  get [SymbolToStringTag]() {
    return "Headers";
  }

  static __pairs(headers) {
    return #list in headers ? headers.#list : null;
  }

  static __trusted(pairs) {
    const headers = new Headers();
    headers.#list = pairs;
    return headers;
  }
}
headerPairs = Headers.__pairs;
headersFromTrustedPairs = Headers.__trusted;
delete Headers.__pairs;
delete Headers.__trusted;
`;
