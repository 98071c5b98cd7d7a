/**
 * Built-ins captured before any tenant code runs. Tenant code may replace JSON.stringify,
 * Object.prototype, Array.prototype methods or Symbol.iterator; the prelude's own paths (Headers
 * and Response internals, the extraction the host reads) use these captured originals so a
 * tenant's changes cannot make them lie to the host or loop outside the tenant's own code.
 * (The host validates everything anyway; this keeps the tenant's own results sensible.)
 *
 * Written as JavaScript in a String.raw literal: no backticks and no dollar-brace inside.
 */
export const PRIMORDIALS = String.raw`
const ObjectFreeze = Object.freeze;
const ObjectKeys = Object.keys;
const ObjectDefineProperty = Object.defineProperty;
const ObjectGetPrototypeOf = Object.getPrototypeOf;
const ObjectGetOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
const ReflectApply = Reflect.apply;
const ArrayIsArray = Array.isArray;
const NumberIsInteger = Number.isInteger;
const NumberIsFinite = Number.isFinite;
const StringC = String;
const NumberC = Number;
const JSONStringify = JSON.stringify;
const JSONParse = JSON.parse;
const PromiseThen = Promise.prototype.then;
const PromiseResolve = Promise.resolve.bind(Promise);
const PromiseReject = Promise.reject.bind(Promise);
const ErrorC = Error;
const TypeErrorC = TypeError;
const RangeErrorC = RangeError;
const Uint8ArrayC = Uint8Array;
const ArrayBufferC = ArrayBuffer;
const ArrayBufferIsView = ArrayBuffer.isView;
const SymbolIterator = Symbol.iterator;
const SymbolToStringTag = Symbol.toStringTag;
const TypedArrayPrototype = ObjectGetPrototypeOf(Uint8Array.prototype);
const TypedArraySet = TypedArrayPrototype.set;
const TypedArrayByteLength = ObjectGetOwnPropertyDescriptor(TypedArrayPrototype, "byteLength").get;
const TypedArrayByteOffset = ObjectGetOwnPropertyDescriptor(TypedArrayPrototype, "byteOffset").get;
const TypedArrayBuffer = ObjectGetOwnPropertyDescriptor(TypedArrayPrototype, "buffer").get;
const ArrayBufferByteLength = ObjectGetOwnPropertyDescriptor(ArrayBuffer.prototype, "byteLength").get;
const ArrayValues = Array.prototype.values;
const StringToLowerCase = String.prototype.toLowerCase;
const StringToUpperCase = String.prototype.toUpperCase;
const StringSlice = String.prototype.slice;
const StringCharCodeAt = String.prototype.charCodeAt;
const RegExpExec = RegExp.prototype.exec;

const call = (fn, self, ...args) => ReflectApply(fn, self, args);
const then = (promise, onFulfilled, onRejected) => ReflectApply(PromiseThen, promise, [onFulfilled, onRejected]);
const lower = (s) => ReflectApply(StringToLowerCase, s, []);
const upper = (s) => ReflectApply(StringToUpperCase, s, []);
const slice = (s, start, end) => ReflectApply(StringSlice, s, [start, end]);
const matches = (re, s) => ReflectApply(RegExpExec, re, [s]) !== null;
/** Appends without Array.prototype.push and without running index setters put on Array.prototype. */
const push = (array, value) => {
  ObjectDefineProperty(array, array.length, { __proto__: null, value, writable: true, enumerable: true, configurable: true });
};
/** A fresh iterator over a fresh array, so that iteration does not depend on the tenant's array methods. */
const iterate = (array) => ReflectApply(ArrayValues, array, []);
const isObjectLike = (value) => (typeof value === "object" && value !== null) || typeof value === "function";
/** Copies the bytes of any ArrayBuffer view or ArrayBuffer into a fresh Uint8Array; null when it is neither. */
const copyBytes = (source) => {
  let view;
  if (ArrayBufferIsView(source)) {
    try {
      const buffer = ReflectApply(TypedArrayBuffer, source, []);
      view = new Uint8ArrayC(buffer, ReflectApply(TypedArrayByteOffset, source, []), ReflectApply(TypedArrayByteLength, source, []));
    } catch {
      return null; // a DataView: not taken
    }
  } else {
    try {
      ReflectApply(ArrayBufferByteLength, source, []);
    } catch {
      return null;
    }
    view = new Uint8ArrayC(source);
  }
  const copy = new Uint8ArrayC(ReflectApply(TypedArrayByteLength, view, []));
  ReflectApply(TypedArraySet, copy, [view]);
  return copy;
};
/** The ArrayBuffer of a fresh copy: what host functions take for bytes. */
const bufferOf = (bytes) => ReflectApply(TypedArrayBuffer, copyBytes(bytes), []);
/** Serializes pairs for the host without JSON.stringify on arrays (a tenant's Array.prototype.toJSON would run). */
const pairsJson = (list) => {
  let text = "[";
  for (let i = 0; i < list.length; i++) {
    text += (i === 0 ? "[" : ",[") + JSONStringify(list[i][0]) + "," + JSONStringify(list[i][1]) + "]";
  }
  return text + "]";
};

/**
 * Parts of the prelude compiled on first use (see index.ts): compiling is most of what a fresh
 * context costs, and most workflows never touch URL or TextEncoder.
 */
const loadedParts = { __proto__: null };
let kit;
const part = (name) => {
  let exports = loadedParts[name];
  if (exports === undefined) {
    exports = host.loadPart(name)(kit);
    loadedParts[name] = exports;
  }
  return exports;
};
const isLoaded = (name) => loadedParts[name] !== undefined;
const searchParamsText = (value) => (isLoaded("url") ? part("url").searchParamsText(value) : null);
`;
