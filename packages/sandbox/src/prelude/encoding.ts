/**
 * A part compiled on first use: TextEncoder/TextDecoder (UTF-8 only), atob/btoa and crypto.randomUUID/getRandomValues. The
 * byte work is done by host functions in the worker thread (Buffer, node:crypto), which take and
 * return strings and ArrayBuffers only: a 5 MiB body is not decoded by interpreted JavaScript.
 */
export const ENCODING_PART = String.raw`
const UTF8_LABELS = ["utf-8", "utf8", "unicode-1-1-utf-8"];

class TextEncoder {
  get encoding() {
    return "utf-8";
  }
  encode(input = "") {
    return new Uint8ArrayC(host.utf8Encode(StringC(input)));
  }
  encodeInto(source, destination) {
    const bytes = new Uint8ArrayC(host.utf8Encode(StringC(source)));
    if (!ArrayBufferIsView(destination)) throw new TypeErrorC("TextEncoder.encodeInto: the destination must be a Uint8Array");
    const room = ReflectApply(TypedArrayByteLength, destination, []);
    // Writes whole characters only: stop before a UTF-8 sequence that would not fit.
    let written = bytes.length <= room ? bytes.length : room;
    while (written > 0 && written < bytes.length && (bytes[written] & 0xc0) === 0x80) written--;
    let read = 0;
    for (let i = 0; i < written; i++) {
      const byte = bytes[i];
      destination[i] = byte;
      if ((byte & 0xc0) !== 0x80) read += byte >= 0xf0 ? 2 : 1;
    }
    return { read, written };
  }
  get [SymbolToStringTag]() {
    return "TextEncoder";
  }
}

class TextDecoder {
  #fatal;
  #ignoreBOM;
  constructor(label = "utf-8", options = undefined) {
    const name = lower(StringC(label));
    let known = false;
    for (let i = 0; i < UTF8_LABELS.length; i++) if (UTF8_LABELS[i] === name) known = true;
    if (!known) throw new RangeErrorC("TextDecoder: only utf-8 is available here, not " + JSONStringify(slice(name, 0, 50)));
    this.#fatal = isObjectLike(options) ? !!options.fatal : false;
    this.#ignoreBOM = isObjectLike(options) ? !!options.ignoreBOM : false;
  }
  get encoding() {
    return "utf-8";
  }
  get fatal() {
    return this.#fatal;
  }
  get ignoreBOM() {
    return this.#ignoreBOM;
  }
  decode(input = undefined) {
    if (input === undefined) return "";
    const bytes = copyBytes(input);
    if (bytes === null) throw new TypeErrorC("TextDecoder.decode: expected an ArrayBuffer or a typed array");
    const text = host.utf8Decode(ReflectApply(TypedArrayBuffer, bytes, []), this.#fatal ? 1 : 0);
    if (text === null) throw new TypeErrorC("TextDecoder.decode: the data is not valid UTF-8");
    return !this.#ignoreBOM && text.length > 0 && ReflectApply(StringCharCodeAt, text, [0]) === 0xfeff ? slice(text, 1) : text;
  }
  get [SymbolToStringTag]() {
    return "TextDecoder";
  }
}

const invalidCharacter = (what) => {
  const error = new ErrorC(what);
  error.name = "InvalidCharacterError";
  return error;
};

function btoa(data) {
  const text = StringC(data);
  for (let i = 0; i < text.length; i++) {
    if (ReflectApply(StringCharCodeAt, text, [i]) > 0xff) throw invalidCharacter("btoa: the string has characters above U+00FF");
  }
  return host.base64Encode(text);
}

function atob(data) {
  const text = host.base64Decode(StringC(data));
  if (text === null) throw invalidCharacter("atob: the string is not valid base64");
  return text;
}

const crypto = ObjectFreeze({
  __proto__: null,
  randomUUID() {
    return host.randomUUID();
  },
  getRandomValues(array) {
    if (!ArrayBufferIsView(array)) throw new TypeErrorC("crypto.getRandomValues: expected an integer typed array");
    const length = ReflectApply(TypedArrayByteLength, array, []);
    if (length > 65536) throw new RangeErrorC("crypto.getRandomValues: at most 65536 bytes at a time");
    const random = new Uint8ArrayC(host.randomBytes(length));
    const target = new Uint8ArrayC(ReflectApply(TypedArrayBuffer, array, []), ReflectApply(TypedArrayByteOffset, array, []), length);
    ReflectApply(TypedArraySet, target, [random]);
    return array;
  },
});
return { __proto__: null, TextEncoder, TextDecoder, atob, btoa, crypto };
`;
