-- Secrets at rest: `endpoints.secret` and `endpoints.oauth_client_secret` now hold AES-256-GCM
-- sealed values (enc:v1:…). SQL cannot seal, so values written before this migration are sealed
-- by the API and workers at startup (sealLegacySecrets).

-- AlterTable
ALTER TABLE "endpoints" ADD COLUMN     "previous_secrets" JSONB NOT NULL DEFAULT '[]';

-- CreateTable
CREATE TABLE "encryption_check" (
    "id" SMALLINT NOT NULL DEFAULT 1,
    "key_id" TEXT NOT NULL,
    "sealed" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "encryption_check_pkey" PRIMARY KEY ("id")
);
