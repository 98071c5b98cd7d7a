import { Options } from "got";

/**
 * got 14 builds the options of every native request (`Options#createNativeRequestOptions`) as one
 * object literal that begins with a spread of `cacheOptions` (four keys, all undefined unless a
 * cache is used) and goes on with some forty properties. On Node 20's V8 that shape falls off a
 * cliff: a literal that starts by spreading a non-empty object and then defines many properties
 * gets new hidden classes on every call. Measured here: 90–125 µs per call, against under 1 µs
 * when the spread object is empty; a third of got's CPU per webhook sent (250–270 µs per request
 * with it, 160–190 without, `node:http` 70–85, one client process posting 1 KiB over keep-alive).
 *
 * The fix hands got's own method an empty `cacheOptions` for the length of the call and puts the
 * keys back on its result: got still builds the object; only the order of four keys differs.
 * `test/got-request-options.test.ts` holds the result equal to got's own for the options we and
 * others use, so that a got upgrade that changes the method is caught rather than trusted.
 */
interface WithInternals {
  _internals: { cacheOptions: Record<string, unknown> };
}

type CreateNativeRequestOptions = (this: Options) => ReturnType<Options["createNativeRequestOptions"]>;

const EMPTY: Record<string, unknown> = Object.freeze({});
const patched = Symbol.for("hookline.got.createNativeRequestOptions");

/** got's own method, as it was before the fix (for the equality test). */
export const gotsCreateNativeRequestOptions: CreateNativeRequestOptions =
  (Options.prototype.createNativeRequestOptions as CreateNativeRequestOptions & { [patched]?: CreateNativeRequestOptions })[patched] ??
  Options.prototype.createNativeRequestOptions;

function createNativeRequestOptions(this: Options): ReturnType<Options["createNativeRequestOptions"]> {
  const internals = (this as unknown as WithInternals)._internals;
  const cacheOptions = internals.cacheOptions;
  internals.cacheOptions = EMPTY;
  let native: ReturnType<Options["createNativeRequestOptions"]>;
  try {
    native = gotsCreateNativeRequestOptions.call(this);
  } finally {
    internals.cacheOptions = cacheOptions;
  }
  const out = native as Record<string, unknown>;
  for (const key in cacheOptions) if (!(key in out)) out[key] = cacheOptions[key];
  return native;
}

/** Installs the fix once per process (every copy of this module shares it through the symbol). */
export function fixGotRequestOptions(): void {
  const current = Options.prototype.createNativeRequestOptions as CreateNativeRequestOptions & { [patched]?: CreateNativeRequestOptions };
  if (current[patched] !== undefined) return;
  Object.defineProperty(createNativeRequestOptions, patched, { value: gotsCreateNativeRequestOptions });
  Options.prototype.createNativeRequestOptions = createNativeRequestOptions;
}
