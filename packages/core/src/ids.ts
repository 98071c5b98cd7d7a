import { v7 as uuidv7 } from "uuid";

/**
 * Every public id carries a prefix naming its kind, then a UUIDv7. UUIDv7 starts with a
 * millisecond timestamp, so ids of one kind sort in creation order as plain text: lists page
 * on the id alone and stay stable.
 */
export const ID_PREFIXES = {
  tenant: "ten",
  apiKey: "key",
  endpoint: "ep",
  subscription: "sub",
  event: "evt",
  delivery: "msg",
  attempt: "atm",
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

export function newId(kind: IdKind): string {
  return `${ID_PREFIXES[kind]}_${uuidv7()}`;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** True when `id` has the shape of an id of this kind; cheap guard before any lookup. */
export function isId(kind: IdKind, id: string): boolean {
  const prefix = `${ID_PREFIXES[kind]}_`;
  return id.startsWith(prefix) && UUID_RE.test(id.slice(prefix.length));
}
