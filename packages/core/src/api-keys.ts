import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { isId, type IdKind } from "./ids.js";

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
  return parseIdAndSecret("apiKey", plaintext);
}

/** A customer portal token has the same shape with a `ptk_` id, and is checked the same way. */
export const issuePortalToken = (tokenId: string): IssuedApiKey => issueApiKey(tokenId);

export function parsePortalToken(plaintext: string): { keyId: string; secret: string } | undefined {
  return parseIdAndSecret("portalToken", plaintext);
}

function parseIdAndSecret(kind: IdKind, plaintext: string): { keyId: string; secret: string } | undefined {
  const dot = plaintext.indexOf(".");
  if (dot < 0) return undefined;
  const keyId = plaintext.slice(0, dot);
  const secret = plaintext.slice(dot + 1);
  if (!isId(kind, keyId) || !/^[A-Za-z0-9_-]{43}$/.test(secret)) return undefined;
  return { keyId, secret };
}

export function secretMatches(secret: string, storedHash: Uint8Array): boolean {
  const candidate = hashSecret(secret);
  return candidate.length === storedHash.length && timingSafeEqual(candidate, storedHash);
}

function hashSecret(secret: string): Buffer {
  return createHash("sha256").update(secret).digest();
}
