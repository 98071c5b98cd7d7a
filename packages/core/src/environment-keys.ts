import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * The keys callers of inbound endpoints send in `X-MOS-Key`: a secret key (`sk_…`) for servers
 * and a public key (`pk_…`) that may sit in a browser. Each has 256 random bits, so a fast hash
 * is enough to check one, and comparing digests of equal length in constant time tells an
 * attacker nothing about how close a guess was.
 */
export type EnvironmentKeyKind = "secret" | "public";

const PREFIX: Record<EnvironmentKeyKind, string> = { secret: "sk_", public: "pk_" };

export function generateEnvironmentKey(kind: EnvironmentKeyKind): string {
  return `${PREFIX[kind]}${randomBytes(32).toString("base64url")}`;
}

export function hashEnvironmentKey(key: string): Buffer {
  return createHash("sha256").update(key, "utf8").digest();
}

/** True when `presented` is the key whose SHA-256 is `storedHash`. */
export function environmentKeyMatches(presented: string, storedHash: Uint8Array): boolean {
  const candidate = hashEnvironmentKey(presented);
  return candidate.length === storedHash.length && timingSafeEqual(candidate, storedHash);
}
