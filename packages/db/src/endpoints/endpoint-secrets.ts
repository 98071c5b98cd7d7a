import type { SecretCipher } from "@hookline/core";

/** The two sealed columns of an endpoint. Each value is bound to its row and column. */
type SealedField = "secret" | "oauth_client_secret";

const context = (endpointId: string, field: SealedField) => `endpoint:${endpointId}:${field}`;

/** A secret replaced by a rotation, still signing until it expires. */
export interface PreviousSecret {
  /** Sealed with the `secret` context of its endpoint. */
  readonly secret: string;
  readonly expires_at: string;
}

/** At most this many old secrets sign at once; rotating more often drops the oldest. */
export const MAX_PREVIOUS_SECRETS = 5;

export function sealSecret(cipher: SecretCipher, endpointId: string, field: SealedField, plaintext: string): string {
  return cipher.seal(plaintext, context(endpointId, field));
}

export function openSecret(cipher: SecretCipher, endpointId: string, field: SealedField, sealed: string): string {
  return cipher.open(sealed, context(endpointId, field));
}

/** A row as it leaves the data layer: its secrets readable, as if never sealed. */
export function openEndpointRow<T extends { id: string; secret: string; oauthClientSecret: string | null }>(
  cipher: SecretCipher,
  row: T,
): T {
  return {
    ...row,
    secret: openSecret(cipher, row.id, "secret", row.secret),
    oauthClientSecret: row.oauthClientSecret === null ? null : openSecret(cipher, row.id, "oauth_client_secret", row.oauthClientSecret),
  };
}

function isPreviousSecret(value: unknown): value is PreviousSecret {
  const entry = value as PreviousSecret;
  return typeof entry === "object" && entry !== null && typeof entry.secret === "string" && typeof entry.expires_at === "string";
}

/** The previous secrets still valid at `now`, newest first, as stored (sealed). */
export function livePreviousSecrets(stored: unknown, now: Date): PreviousSecret[] {
  if (!Array.isArray(stored)) return [];
  return stored.filter(isPreviousSecret).filter((entry) => Date.parse(entry.expires_at) > now.getTime());
}

/** Every secret a delivery is signed with: the current one first, then the ones still in grace. */
export function signingSecrets(
  cipher: SecretCipher,
  endpointId: string,
  sealedCurrent: string,
  storedPrevious: unknown,
  now: Date,
): string[] {
  return [sealedCurrent, ...livePreviousSecrets(storedPrevious, now).map((entry) => entry.secret)].map((sealed) =>
    openSecret(cipher, endpointId, "secret", sealed),
  );
}
