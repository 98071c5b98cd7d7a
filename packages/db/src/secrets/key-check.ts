import type { Database } from "../client.js";
import { isSealed, SecretCipherError } from "@hookline/core";
import { sealSecret } from "../endpoints/endpoint-secrets.js";

const CHECK_CONTEXT = "encryption_check";
const CHECK_VALUE = "hookline";

export class EncryptionKeyMismatchError extends Error {
  constructor(databaseKeyId: string, configuredKeyId: string) {
    super(
      `ENCRYPTION_KEY does not match the key this database's secrets were sealed with ` +
        `(database key id ${databaseKeyId}, configured key id ${configuredKeyId}); start with the key the installation was created with`,
    );
    this.name = "EncryptionKeyMismatchError";
  }
}

/**
 * Run by every process at startup: the first one to start seals a known value with its key; every
 * later one must open it. A wrong key therefore stops the process before it serves a request or
 * takes a job, instead of failing each delivery later.
 */
export async function verifyEncryptionKey(db: Pick<Database, "pool" | "secrets">): Promise<void> {
  const { pool, secrets: cipher } = db;
  await pool.query(`INSERT INTO encryption_check (id, key_id, sealed) VALUES (1, $1, $2) ON CONFLICT (id) DO NOTHING`, [
    cipher.keyId,
    cipher.seal(CHECK_VALUE, CHECK_CONTEXT),
  ]);
  const { rows } = await pool.query<{ key_id: string; sealed: string }>(`SELECT key_id, sealed FROM encryption_check WHERE id = 1`);
  const row = rows[0];
  if (!row) throw new Error("encryption_check has no row after inserting one");
  try {
    if (cipher.open(row.sealed, CHECK_CONTEXT) === CHECK_VALUE) return;
  } catch (error) {
    if (!(error instanceof SecretCipherError)) throw error;
  }
  throw new EncryptionKeyMismatchError(row.key_id, cipher.keyId);
}

/**
 * Seals secrets written in plain text before secrets were encrypted at rest. Each row is updated
 * only if it still holds the value read, so processes starting together cannot seal twice.
 * Returns how many rows were sealed.
 */
export async function sealLegacySecrets(db: Pick<Database, "pool" | "secrets">): Promise<number> {
  const { pool, secrets: cipher } = db;
  const { rows } = await pool.query<{ id: string; secret: string; oauth_client_secret: string | null }>(
    `SELECT id, secret, oauth_client_secret FROM endpoints
     WHERE secret NOT LIKE 'enc:v1:%' OR oauth_client_secret NOT LIKE 'enc:v1:%'`,
  );
  let sealed = 0;
  for (const row of rows) {
    const secret = isSealed(row.secret) ? row.secret : sealSecret(cipher, row.id, "secret", row.secret);
    const client =
      row.oauth_client_secret === null || isSealed(row.oauth_client_secret)
        ? row.oauth_client_secret
        : sealSecret(cipher, row.id, "oauth_client_secret", row.oauth_client_secret);
    const result = await pool.query(
      `UPDATE endpoints SET secret = $2, oauth_client_secret = $3
       WHERE id = $1 AND secret = $4 AND oauth_client_secret IS NOT DISTINCT FROM $5`,
      [row.id, secret, client, row.secret, row.oauth_client_secret],
    );
    sealed += result.rowCount ?? 0;
  }
  return sealed;
}
