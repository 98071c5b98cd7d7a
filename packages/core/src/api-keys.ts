import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { isId } from "./ids.js";

/**
 * A tenant API key is `<key id>.<secret>`: the id (`key_…`) finds the row, the secret is checked
 * against its stored SHA-256 in constant time. The secret has 256 random bits, so a fast hash is
 * enough; a slow password hash would only slow every request.
 */
export interface IssuedApiKey {
  readonly plaintext: string;
  readonly secretHash: Buffer;
}

export function issueApiKey(keyId: string): IssuedApiKey {
  const secret = randomBytes(32).toString("base64url");
  return { plaintext: `${keyId}.${secret}`, secretHash: hashSecret(secret) };
}

export function parseApiKey(plaintext: string): { keyId: string; secret: string } | undefined {
  const dot = plaintext.indexOf(".");
  if (dot < 0) return undefined;
  const keyId = plaintext.slice(0, dot);
  const secret = plaintext.slice(dot + 1);
  if (!isId("apiKey", keyId) || !/^[A-Za-z0-9_-]{43}$/.test(secret)) return undefined;
  return { keyId, secret };
}

export function secretMatches(secret: string, storedHash: Uint8Array): boolean {
  const candidate = hashSecret(secret);
  return candidate.length === storedHash.length && timingSafeEqual(candidate, storedHash);
}

function hashSecret(secret: string): Buffer {
  return createHash("sha256").update(secret).digest();
}
