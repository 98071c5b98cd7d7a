/**
 * console.* and utils.log write to the execution log. Arguments are formatted inside the sandbox
 * and under its CPU budget (a getter that loops is the tenant's own time) into one string per
 * line; the host keeps at most logBytes of them. The formatter is a part compiled on first use.
 */
export const CONSOLE = String.raw`
let logChars = 65536;
const format = (args) => part("format").format(args, logChars);
const writeLog = (level) =>
  function (...args) {
    host.log(level, format(args));
  };

const console = ObjectFreeze({
  __proto__: null,
  log: writeLog("log"),
  info: writeLog("info"),
  warn: writeLog("warn"),
  error: writeLog("error"),
  debug: writeLog("debug"),
});
`;

export const FORMAT_PART = String.raw`
const MAX_DEPTH = 3;
const MAX_KEYS = 50;

const inspect = (value, depth, seen) => {
  if (typeof value === "string") return depth === 0 ? value : JSONStringify(value);
  if (typeof value === "function") return "[Function " + (typeof value.name === "string" && value.name !== "" ? value.name : "(anonymous)") + "]";
  if (typeof value === "symbol" || typeof value === "bigint") return typeof value === "bigint" ? StringC(value) + "n" : StringC(value);
  if (!isObjectLike(value)) return StringC(value);
  if (value instanceof ErrorC) {
    const stack = typeof value.stack === "string" ? value.stack : "";
    return StringC(value.name) + ": " + StringC(value.message) + (stack !== "" ? "\n" + stack : "");
  }
  for (let i = 0; i < seen.length; i++) if (seen[i] === value) return "[Circular]";
  if (depth > MAX_DEPTH) return ArrayIsArray(value) ? "[Array]" : "[Object]";
  const inner = [];
  for (let i = 0; i < seen.length; i++) push(inner, seen[i]);
  push(inner, value);
  if (ArrayIsArray(value)) {
    let text = "[";
    const shown = value.length < MAX_KEYS ? value.length : MAX_KEYS;
    for (let i = 0; i < shown; i++) text += (i === 0 ? " " : ", ") + inspect(value[i], depth + 1, inner);
    if (value.length > shown) text += ", ... " + (value.length - shown) + " more";
    return text + (shown > 0 ? " ]" : "]");
  }
  const urlPart = isLoaded("url") ? part("url") : null;
  const tag = value instanceof Headers || (urlPart !== null && value instanceof urlPart.URLSearchParams) ? value[SymbolToStringTag] : null;
  if (tag !== null) {
    let text = tag + " {";
    let first = true;
    for (const entry of value.entries()) {
      text += (first ? " " : ", ") + JSONStringify(entry[0]) + " => " + JSONStringify(entry[1]);
      first = false;
    }
    return text + (first ? "}" : " }");
  }
  if (urlPart !== null && value instanceof urlPart.URL) return "URL " + JSONStringify(value.href);
  if (value instanceof Response) return "Response { status: " + value.status + " }";
  const names = ObjectKeys(value);
  let text = "{";
  const shown = names.length < MAX_KEYS ? names.length : MAX_KEYS;
  for (let i = 0; i < shown; i++) {
    const name = names[i];
    const key = matches(/^[A-Za-z_$][A-Za-z0-9_$]*$/, name) ? name : JSONStringify(name);
    text += (i === 0 ? " " : ", ") + key + ": " + inspect(value[name], depth + 1, inner);
  }
  if (names.length > shown) text += ", ... " + (names.length - shown) + " more";
  return text + (shown > 0 ? " }" : "}");
};

const format = (args, logChars) => {
  let text = "";
  for (let i = 0; i < args.length; i++) {
    let part;
    try {
      part = inspect(args[i], 0, []);
    } catch {
      part = "[unprintable]";
    }
    text += (i === 0 ? "" : " ") + part;
    // One character past the limit: the host then sees a line over logBytes and marks the log truncated.
    if (text.length > logChars) return slice(text, 0, logChars + 1);
  }
  return text;
};

return { __proto__: null, format };
`;
