import { CONSOLE, FORMAT_PART } from "./console.js";
import { ENCODING_PART } from "./encoding.js";
import { ENTRY, UTILS_PART } from "./entry.js";
import { HEADERS } from "./headers.js";
import { PRIMORDIALS } from "./primordials.js";
import { RESPONSE } from "./response.js";
import { URL_PART } from "./url.js";

/** The file name QuickJS gives the prelude's stack frames; the host drops those frames from tenant stacks. */
export const PRELUDE_FILE = "hookline:prelude.js";

/**
 * What the core of the prelude hands the parts compiled later: its captured built-ins, helpers and
 * classes. A part receives them as one frozen null-prototype object and unpacks them all.
 */
const KIT = [
  "host",
  "ObjectFreeze",
  "ObjectKeys",
  "ObjectDefineProperty",
  "ObjectGetPrototypeOf",
  "ObjectGetOwnPropertyDescriptor",
  "ReflectApply",
  "ArrayIsArray",
  "NumberIsInteger",
  "NumberIsFinite",
  "StringC",
  "NumberC",
  "JSONStringify",
  "JSONParse",
  "PromiseThen",
  "PromiseResolve",
  "PromiseReject",
  "ErrorC",
  "TypeErrorC",
  "RangeErrorC",
  "Uint8ArrayC",
  "ArrayBufferC",
  "ArrayBufferIsView",
  "SymbolIterator",
  "SymbolToStringTag",
  "TypedArraySet",
  "TypedArrayByteLength",
  "TypedArrayByteOffset",
  "TypedArrayBuffer",
  "StringCharCodeAt",
  "call",
  "then",
  "lower",
  "upper",
  "slice",
  "matches",
  "push",
  "iterate",
  "isObjectLike",
  "copyBytes",
  "bufferOf",
  "pairsJson",
  "part",
  "isLoaded",
  "searchParamsText",
  "Headers",
  "headerPairs",
  "headersFromTrustedPairs",
  "Response",
  "responseFromHost",
];

/** Globals defined at once, and globals whose part is compiled the first time the tenant reads them. */
const EAGER_GLOBALS = ["Response", "Headers", "console"];
const LAZY_GLOBALS: Record<string, PartName> = {
  URL: "url",
  URLSearchParams: "url",
  TextEncoder: "encoding",
  TextDecoder: "encoding",
  atob: "encoding",
  btoa: "encoding",
  crypto: "encoding",
};

/**
 * Evaluated as a script in every new context before the workflow. It is one function expression:
 * the host calls it with the host-function object, so no host function is ever reachable from a
 * global, and it returns the two entry points the host calls (`start`, `describeError`).
 *
 * Compiling is most of what a fresh context costs (measured: about 5 ms for all of the prelude,
 * against 0.25 ms for the runtime and context themselves), so only the core is compiled here; the
 * parts are compiled by the host function loadPart when first used.
 */
export const PRELUDE_SOURCE = [
  "(function (host) {",
  '"use strict";',
  PRIMORDIALS,
  HEADERS,
  RESPONSE,
  CONSOLE,
  ENTRY,
  `kit = ObjectFreeze({ __proto__: null, ${KIT.join(", ")} });`,
  String.raw`
const defineGlobal = (name, value) => {
  ObjectDefineProperty(globalThis, name, { __proto__: null, value, writable: true, enumerable: false, configurable: true });
};
const eager = { __proto__: null, ${EAGER_GLOBALS.join(", ")} };
for (const name of ObjectKeys(eager)) defineGlobal(name, eager[name]);
const lazy = ${JSON.stringify(LAZY_GLOBALS)};
for (const name of ObjectKeys(lazy)) {
  // Read: compile the part, then become a plain data property. Written first: just take the value.
  ObjectDefineProperty(globalThis, name, {
    __proto__: null,
    enumerable: false,
    configurable: true,
    get() {
      const value = part(lazy[name])[name];
      defineGlobal(name, value);
      return value;
    },
    set(value) {
      defineGlobal(name, value);
    },
  });
}
return { __proto__: null, start, describeError };
})`,
].join("\n");

export type PartName = "url" | "encoding" | "format" | "utils";

const partSource = (name: PartName, body: string): string =>
  [`(function (kit) {`, '"use strict";', `const { ${KIT.join(", ")} } = kit;`, body, "})"].join("\n");

/** The parts, each a function expression the core calls with its kit; each returns its exports. */
export const PARTS: Record<PartName, string> = {
  url: partSource("url", URL_PART),
  encoding: partSource("encoding", ENCODING_PART),
  format: partSource("format", FORMAT_PART),
  utils: partSource("utils", UTILS_PART),
};

export const isPartName = (name: string): name is PartName => Object.prototype.hasOwnProperty.call(PARTS, name);
