import { randomFillSync } from "node:crypto";
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
  environment: "env",
  brand: "brd",
  inboundEndpoint: "iep",
  workflowVersion: "wfv",
  execution: "exe",
  customer: "cus",
  integration: "int",
  instance: "ins",
  instanceApiKey: "iak",
  portalToken: "ptk",
  recovery: "rcv",
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

/**
 * Random bytes for ids, drawn from the OS a pool at a time: one call per 256 ids instead of one
 * each (the per-call cost showed in the API's profile, several ids per published event).
 */
const POOL_BYTES = 16 * 256;
const pool = Buffer.alloc(POOL_BYTES);
let used = POOL_BYTES;
function sixteenRandomBytes(): Uint8Array {
  if (used === POOL_BYTES) {
    randomFillSync(pool);
    used = 0;
  }
  used += 16;
  return pool.subarray(used - 16, used);
}

/**
 * uuid's own state keeps ids of one process increasing within a millisecond; it takes a random
 * source only along with the time and sequence, so this keeps the same state: a new millisecond
 * starts from a random sequence, the same millisecond counts up (and borrows the next
 * millisecond if the sequence wraps).
 */
let lastMs = -Infinity;
let sequence = 0;
function uuid(): string {
  const random = sixteenRandomBytes();
  const now = Date.now();
  if (now > lastMs) {
    // 31 bits of the random bytes, as uuid seeds its sequence.
    sequence = ((random[6]! & 0x7f) << 24) | (random[7]! << 16) | (random[8]! << 8) | random[9]!;
    lastMs = now;
  } else {
    sequence = (sequence + 1) | 0;
    if (sequence === 0) lastMs++;
  }
  return uuidv7({ random, msecs: lastMs, seq: sequence });
}

export function newId(kind: IdKind): string {
  return `${ID_PREFIXES[kind]}_${uuid()}`;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** True when `id` has the shape of an id of this kind; cheap guard before any lookup. */
export function isId(kind: IdKind, id: string): boolean {
  const prefix = `${ID_PREFIXES[kind]}_`;
  return id.startsWith(prefix) && UUID_RE.test(id.slice(prefix.length));
}
