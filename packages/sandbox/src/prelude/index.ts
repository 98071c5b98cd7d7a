import { CONSOLE } from "./console.js";
import { ENCODING } from "./encoding.js";
import { ENTRY } from "./entry.js";
import { HEADERS } from "./headers.js";
import { PRIMORDIALS } from "./primordials.js";
import { RESPONSE } from "./response.js";
import { URL_CLASSES } from "./url.js";

/** The file name QuickJS gives the prelude's stack frames; the host drops those frames from tenant stacks. */
export const PRELUDE_FILE = "hookline:prelude.js";

/**
 * Evaluated as a script in every new context before the workflow. It is one function expression:
 * the host calls it with the host-function object, so no host function is ever reachable from a
 * global, and it returns the two entry points the host calls (`start`, `describeError`).
 */
export const PRELUDE_SOURCE = [
  "(function (host) {",
  '"use strict";',
  PRIMORDIALS,
  HEADERS,
  URL_CLASSES,
  RESPONSE,
  ENCODING,
  CONSOLE,
  ENTRY,
  String.raw`
const globals = { __proto__: null, Response, Headers, URL, URLSearchParams, TextEncoder, TextDecoder, atob, btoa, crypto, console };
const names = ObjectKeys(globals);
for (let i = 0; i < names.length; i++) {
  ObjectDefineProperty(globalThis, names[i], { __proto__: null, value: globals[names[i]], writable: true, enumerable: false, configurable: true });
}
return { __proto__: null, start, describeError };
})`,
].join("\n");
