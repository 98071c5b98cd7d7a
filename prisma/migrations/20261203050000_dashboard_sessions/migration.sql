-- Dashboard sign-ins. The cookie holds a random token; only its SHA-256 is stored, so a copy of
-- this table signs nobody in. A tenant's session names the API key it was opened with: revoking
-- or expiring that key ends the session too. An admin session (signed in with ADMIN_TOKEN) has
-- neither tenant nor key. The CSRF token is not secret from the signed-in page, only from others.

-- CreateTable
CREATE TABLE "dashboard_sessions" (
    "token_hash" BYTEA NOT NULL,
    "tenant_id" TEXT,
    "api_key_id" TEXT,
    "csrf_token" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "dashboard_sessions_pkey" PRIMARY KEY ("token_hash"),
    CONSTRAINT "dashboard_sessions_kind_check" CHECK (("tenant_id" IS NULL) = ("api_key_id" IS NULL))
);

-- CreateIndex
CREATE INDEX "dashboard_sessions_expires_at_idx" ON "dashboard_sessions"("expires_at");

-- AddForeignKey
ALTER TABLE "dashboard_sessions" ADD CONSTRAINT "dashboard_sessions_api_key_id_fkey" FOREIGN KEY ("api_key_id") REFERENCES "api_keys"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dashboard_sessions" ADD CONSTRAINT "dashboard_sessions_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;
