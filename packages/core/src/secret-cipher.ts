import { createCipheriv, createDecipheriv, createHmac, randomBytes } from "node:crypto";

/**
 * Encryption of secrets at rest (endpoint signing secrets, OAuth client secrets): AES-256-GCM with
 * a random 96-bit nonce per value. A sealed value reads `enc:v1:<key id>:<base64url>`, the key id
 * being a fingerprint of the key, so a value sealed under another key is recognised as such
 * instead of failing as "corrupt". The context (the row and column it belongs to) is
 * authenticated, so a sealed value copied into another row or tenant does not open there.
 */
export interface SecretCipher {
  readonly keyId: string;
  seal(plaintext: string, context: string): string;
  /** Throws SecretCipherError when the value was sealed with another key, for another context, or tampered with. */
  open(sealed: string, context: string): string;
}

export class SecretCipherError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SecretCipherError";
  }
}

const PREFIX = "enc:v1:";
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export function isSealed(value: string): boolean {
  return value.startsWith(PREFIX);
}

export function createSecretCipher(key: Buffer): SecretCipher {
  if (key.length !== 32) throw new SecretCipherError("the encryption key must be 32 bytes");
  const keyId = createHmac("sha256", key).update("hookline key id").digest("hex").slice(0, 12);

  return {
    keyId,
    seal(plaintext, context) {
      const nonce = randomBytes(NONCE_BYTES);
      const cipher = createCipheriv("aes-256-gcm", key, nonce).setAAD(Buffer.from(context, "utf8"));
      const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
      return `${PREFIX}${keyId}:${Buffer.concat([nonce, body, cipher.getAuthTag()]).toString("base64url")}`;
    },
    open(sealed, context) {
      if (!isSealed(sealed)) throw new SecretCipherError("the value is not sealed");
      const [sealedKeyId, encoded] = sealed.slice(PREFIX.length).split(":");
      if (sealedKeyId !== keyId)
        throw new SecretCipherError(`the value was sealed with key ${sealedKeyId}, and the configured key is ${keyId}`);
      const raw = Buffer.from(encoded ?? "", "base64url");
      if (raw.length < NONCE_BYTES + TAG_BYTES) throw new SecretCipherError("the sealed value is truncated");
      const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, NONCE_BYTES))
        .setAAD(Buffer.from(context, "utf8"))
        .setAuthTag(raw.subarray(raw.length - TAG_BYTES));
      try {
        return Buffer.concat([decipher.update(raw.subarray(NONCE_BYTES, raw.length - TAG_BYTES)), decipher.final()]).toString("utf8");
      } catch {
        throw new SecretCipherError("the sealed value does not authenticate (wrong key, wrong row, or tampered with)");
      }
    },
  };
}
