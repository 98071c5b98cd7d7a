-- The customer portal: short-lived tokens a tenant issues for one of its customers, and how the
-- tenant's portal looks and where it may be embedded.
--
-- A token is `<id>.<secret>` like an API key: the id finds the row, only a SHA-256 of the secret
-- is stored. `capabilities` says what the customer may do beyond reading its own endpoints and
-- deliveries. Deleting the customer deletes its tokens; revoking sets `revoked_at`.

-- AlterTable
ALTER TABLE "tenants" ADD COLUMN "portal_name" TEXT,
ADD COLUMN "portal_logo_url" TEXT,
ADD COLUMN "portal_accent_color" TEXT,
ADD COLUMN "portal_frame_ancestors" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateTable
CREATE TABLE "portal_tokens" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "customer_id" TEXT NOT NULL,
    "secret_hash" BYTEA NOT NULL,
    "capabilities" TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "portal_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "portal_tokens_tenant_id_customer_id_idx" ON "portal_tokens"("tenant_id", "customer_id");

-- AddForeignKey
ALTER TABLE "portal_tokens" ADD CONSTRAINT "portal_tokens_tenant_id_customer_id_fkey" FOREIGN KEY ("tenant_id", "customer_id") REFERENCES "customers"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;
