import { generateEnvironmentKey, hashEnvironmentKey, type EnvironmentKeyKind, type SecretCipher } from "@hookline/core";

/**
 * The sealed values of an environment: its two keys and its secret variables. Each is bound to
 * its row and field, so a sealed value copied into another environment or tenant does not open.
 */
const keyContext = (environmentId: string, kind: EnvironmentKeyKind) => `environment:${environmentId}:${kind}_key`;
const variableContext = (environmentId: string, name: string) => `environment:${environmentId}:variable:${name}`;

function freshKey(cipher: SecretCipher, environmentId: string, kind: EnvironmentKeyKind) {
  const key = generateEnvironmentKey(kind);
  return { sealed: cipher.seal(key, keyContext(environmentId, kind)), hash: new Uint8Array(hashEnvironmentKey(key)) };
}

export interface KeyColumns {
  secretKey?: string;
  secretKeyHash?: Uint8Array<ArrayBuffer>;
  publicKey?: string;
  publicKeyHash?: Uint8Array<ArrayBuffer>;
}

/** Fresh keys of the given kinds as the environments table stores them: sealed to show, hashed to check. */
export function newKeyColumns(cipher: SecretCipher, environmentId: string, kinds: readonly EnvironmentKeyKind[]): KeyColumns {
  const columns: KeyColumns = {};
  if (kinds.includes("secret")) {
    const { sealed, hash } = freshKey(cipher, environmentId, "secret");
    Object.assign(columns, { secretKey: sealed, secretKeyHash: hash });
  }
  if (kinds.includes("public")) {
    const { sealed, hash } = freshKey(cipher, environmentId, "public");
    Object.assign(columns, { publicKey: sealed, publicKeyHash: hash });
  }
  return columns;
}

/** Both keys of a new environment. */
export function newKeyPair(cipher: SecretCipher, environmentId: string): Required<KeyColumns> {
  return newKeyColumns(cipher, environmentId, ["secret", "public"]) as Required<KeyColumns>;
}

export function openKey(cipher: SecretCipher, environmentId: string, kind: EnvironmentKeyKind, sealed: string): string {
  return cipher.open(sealed, keyContext(environmentId, kind));
}

export function sealVariable(cipher: SecretCipher, environmentId: string, name: string, value: string): string {
  return cipher.seal(value, variableContext(environmentId, name));
}

export function openVariable(cipher: SecretCipher, environmentId: string, name: string, sealed: string): string {
  return cipher.open(sealed, variableContext(environmentId, name));
}
