/**
 * A part compiled on first use: URL and URLSearchParams. Parsing and serializing follow the WHATWG URL standard exactly because
 * they are done by the worker thread's own URL implementation through host functions that take
 * and return strings only; the classes here hold the parts and keep url.search and
 * url.searchParams in step.
 */
export const URL_PART = String.raw`
const parseForm = (text) => {
  const parsed = JSONParse(host.formParse(text));
  const list = [];
  for (let i = 0; i < parsed.length; i++) push(list, [parsed[i][0], parsed[i][1]]);
  return list;
};

class URLSearchParams {
  #list = [];
  #onChange = null;

  constructor(init = undefined) {
    if (init === undefined || init === null) return;
    if (!isObjectLike(init)) {
      const text = StringC(init);
      this.#list = parseForm(text[0] === "?" ? slice(text, 1) : text);
      return;
    }
    if (#list in init) {
      for (let i = 0; i < init.#list.length; i++) push(this.#list, [init.#list[i][0], init.#list[i][1]]);
      return;
    }
    if (ArrayIsArray(init) || typeof init[SymbolIterator] === "function") {
      for (const pair of init) {
        if (!isObjectLike(pair) || pair.length !== 2) throw new TypeErrorC("URLSearchParams: each pair must be [name, value]");
        push(this.#list, [StringC(pair[0]), StringC(pair[1])]);
      }
      return;
    }
    const names = ObjectKeys(init);
    for (let i = 0; i < names.length; i++) push(this.#list, [names[i], StringC(init[names[i]])]);
  }

  #serialize() {
    return host.formSerialize(pairsJson(this.#list));
  }

  #changed() {
    if (this.#onChange !== null) this.#onChange(this.#serialize());
  }

  get size() {
    return this.#list.length;
  }

  append(name, value) {
    push(this.#list, [StringC(name), StringC(value)]);
    this.#changed();
  }

  delete(name, value = undefined) {
    const key = StringC(name);
    const only = value === undefined ? undefined : StringC(value);
    const next = [];
    for (let i = 0; i < this.#list.length; i++) {
      const entry = this.#list[i];
      if (entry[0] !== key || (only !== undefined && entry[1] !== only)) push(next, entry);
    }
    this.#list = next;
    this.#changed();
  }

  get(name) {
    const key = StringC(name);
    for (let i = 0; i < this.#list.length; i++) if (this.#list[i][0] === key) return this.#list[i][1];
    return null;
  }

  getAll(name) {
    const key = StringC(name);
    const values = [];
    for (let i = 0; i < this.#list.length; i++) if (this.#list[i][0] === key) push(values, this.#list[i][1]);
    return values;
  }

  has(name, value = undefined) {
    const key = StringC(name);
    const only = value === undefined ? undefined : StringC(value);
    for (let i = 0; i < this.#list.length; i++) {
      if (this.#list[i][0] === key && (only === undefined || this.#list[i][1] === only)) return true;
    }
    return false;
  }

  set(name, value) {
    const key = StringC(name);
    const text = StringC(value);
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
    this.#changed();
  }

  sort() {
    // Stable insertion sort by name (code units), as the standard asks.
    const list = this.#list;
    for (let i = 1; i < list.length; i++) {
      const entry = list[i];
      let j = i - 1;
      while (j >= 0 && list[j][0] > entry[0]) {
        list[j + 1] = list[j];
        j--;
      }
      list[j + 1] = entry;
    }
    this.#changed();
  }

  forEach(callback, thisArg = undefined) {
    for (let i = 0; i < this.#list.length; i++) call(callback, thisArg, this.#list[i][1], this.#list[i][0], this);
  }

  entries() {
    const out = [];
    for (let i = 0; i < this.#list.length; i++) push(out, [this.#list[i][0], this.#list[i][1]]);
    return iterate(out);
  }

  keys() {
    const out = [];
    for (let i = 0; i < this.#list.length; i++) push(out, this.#list[i][0]);
    return iterate(out);
  }

  values() {
    const out = [];
    for (let i = 0; i < this.#list.length; i++) push(out, this.#list[i][1]);
    return iterate(out);
  }

  [SymbolIterator]() {
    return this.entries();
  }

  toString() {
    return this.#serialize();
  }

  get [SymbolToStringTag]() {
    return "URLSearchParams";
  }

  static __text(value) {
    return isObjectLike(value) && #list in value ? value.#serialize() : null;
  }

  static __linked(search, onChange) {
    const params = new URLSearchParams(search);
    params.#onChange = onChange;
    return params;
  }

  static __reset(params, search) {
    params.#list = parseForm(search[0] === "?" ? slice(search, 1) : search);
  }
}
const paramsText = URLSearchParams.__text;
const linkedSearchParams = URLSearchParams.__linked;
const resetSearchParams = URLSearchParams.__reset;
delete URLSearchParams.__text;
delete URLSearchParams.__linked;
delete URLSearchParams.__reset;

const parseUrl = (url, base) => {
  const json = host.urlParse(StringC(url), base === undefined ? undefined : StringC(base));
  return json === null ? null : JSONParse(json);
};

class URL {
  #parts;
  #searchParams;

  constructor(url, base = undefined) {
    const parts = parseUrl(url, base);
    if (parts === null) throw new TypeErrorC("Invalid URL: " + JSONStringify(slice(StringC(url), 0, 200)));
    this.#parts = parts;
    this.#searchParams = linkedSearchParams(parts.search, (search) => {
      this.#parts = JSONParse(host.urlSet(this.#parts.href, "search", search));
    });
  }

  static canParse(url, base = undefined) {
    return parseUrl(url, base) !== null;
  }

  static parse(url, base = undefined) {
    return parseUrl(url, base) === null ? null : new URL(url, base);
  }

  #set(key, value) {
    const json = host.urlSet(this.#parts.href, key, StringC(value));
    if (json === null) throw new TypeErrorC("Invalid URL");
    this.#parts = JSONParse(json);
    if (key === "search" || key === "href") resetSearchParams(this.#searchParams, this.#parts.search);
  }

  get href() {
    return this.#parts.href;
  }
  set href(value) {
    this.#set("href", value);
  }
  get origin() {
    return this.#parts.origin;
  }
  get protocol() {
    return this.#parts.protocol;
  }
  set protocol(value) {
    this.#set("protocol", value);
  }
  get username() {
    return this.#parts.username;
  }
  set username(value) {
    this.#set("username", value);
  }
  get password() {
    return this.#parts.password;
  }
  set password(value) {
    this.#set("password", value);
  }
  get host() {
    return this.#parts.host;
  }
  set host(value) {
    this.#set("host", value);
  }
  get hostname() {
    return this.#parts.hostname;
  }
  set hostname(value) {
    this.#set("hostname", value);
  }
  get port() {
    return this.#parts.port;
  }
  set port(value) {
    this.#set("port", value);
  }
  get pathname() {
    return this.#parts.pathname;
  }
  set pathname(value) {
    this.#set("pathname", value);
  }
  get search() {
    return this.#parts.search;
  }
  set search(value) {
    this.#set("search", value);
  }
  get hash() {
    return this.#parts.hash;
  }
  set hash(value) {
    this.#set("hash", value);
  }
  get searchParams() {
    return this.#searchParams;
  }
  toString() {
    return this.#parts.href;
  }
  toJSON() {
    return this.#parts.href;
  }
  get [SymbolToStringTag]() {
    return "URL";
  }
}
return { __proto__: null, URL, URLSearchParams, searchParamsText: paramsText };
`;
