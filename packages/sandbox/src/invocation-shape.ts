import type { Invocation, InvocationKind, ReservedContextName } from "./types.js";

/** The argument's own names: a context cannot replace them. */
export const RESERVED_CONTEXT_NAMES: readonly ReservedContextName[] = ["request", "env", "utils"];

/** What the thread needs to know of an invocation besides its code, request and env. */
export interface InvocationShape {
  kind: InvocationKind;
  /** The context as the JSON text of an object, or null when there is none. */
  contextJson: string | null;
}

const describe = (value: unknown): string => (value === null ? "null" : Array.isArray(value) ? "an array" : typeof value);

/**
 * Checks the caller's kind and context once, in the caller's thread, before the invocation is
 * queued: these are the caller's mistakes, not the tenant's, so run() rejects with a TypeError.
 * The context is serialised here, and what the sandbox will see is what is checked: the JSON
 * text, parsed back (a toJSON of the caller's object cannot smuggle a reserved name past the check).
 */
export function invocationShape(invocation: Invocation): InvocationShape {
  const kind = invocation.kind ?? "endpoint";
  if (kind !== "endpoint" && kind !== "flow") {
    throw new TypeError(`Invocation.kind must be "endpoint" or "flow", got ${JSON.stringify(String(kind))}`);
  }
  if (invocation.context === undefined) return { kind, contextJson: null };
  let text: string | undefined;
  try {
    text = JSON.stringify(invocation.context);
  } catch (error) {
    throw new TypeError(`Invocation.context cannot be serialised as JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed: unknown = text === undefined ? undefined : JSON.parse(text);
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new TypeError(`Invocation.context must be a JSON object, got ${describe(parsed)}`);
  }
  for (const name of RESERVED_CONTEXT_NAMES) {
    if (Object.prototype.hasOwnProperty.call(parsed, name)) {
      throw new TypeError(`Invocation.context may not set ${JSON.stringify(name)}: request, env and utils are the sandbox's own`);
    }
  }
  return { kind, contextJson: text as string };
}
