export { connectDatabase, type Database, type DatabaseOptions, type PrismaClient } from "./client.js";
export { runMigrations, ensureDatabaseExists, readMigrations, MigrationError, type Migration, type MigrationResult } from "./migrator.js";
export { MIGRATIONS_DIR, SCHEMA_PATH } from "./paths.js";
export type { Page, PageRequest } from "./repositories/pagination.js";
export { createTenant, type CreatedTenant } from "./repositories/tenants.repository.js";
export {
  apiKeyRepository,
  findApiKeyForAuth,
  type ApiKeyRecord,
  type ApiKeyRepository,
  type KeyForAuth,
} from "./repositories/api-keys.repository.js";
export {
  endpointRepository,
  type Endpoint,
  type EndpointPatch,
  type EndpointRepository,
  type EndpointStatus,
  type NewEndpoint,
  type RotatedSecret,
  type UpdatedEndpoint,
} from "./repositories/endpoints.repository.js";
export {
  eventRepository,
  type Event,
  type EventRepository,
  type EventWithDeliveries,
  type NewEvent,
  type PublishOptions,
  type PublishResult,
} from "./repositories/events.repository.js";
export {
  deliveryRepository,
  type Attempt,
  type Delivery,
  type DeliveryRepository,
  type DeliveryStatus,
  type DeliveryWithAttempts,
} from "./repositories/deliveries.repository.js";
export { batcher } from "./batcher.js";
export { createWorkStore } from "./work/work-store.js";
export { subscriptionRepository, type Subscription, type SubscriptionRepository } from "./repositories/subscriptions.repository.js";
export { tenantScope, type TenantScope } from "./tenant-scope.js";
export { deleteExpiredIdempotencyKeys, releaseStrandedHeldDeliveries, withDueDeliveries, type DueCursor } from "./work/due-deliveries.js";
export { isDatabaseUnavailable, isTransientConflict, retryOnConflict } from "./database-errors.js";
export {
  eventTypeRepository,
  type EventType,
  type EventTypeFields,
  type EventTypeRepository,
  type PublishRegistry,
  type RegisteredType,
} from "./repositories/event-types.repository.js";
export { tenantSettingsRepository, type TenantSettings } from "./repositories/tenant-settings.repository.js";
export {
  webhookSettingRepository,
  type WebhookSetting,
  type WebhookSettingInput,
  type WebhookSettingRepository,
} from "./repositories/webhook-settings.repository.js";
export {
  momentusWebhookRepository,
  type MomentusWebhook,
  type MomentusWebhookFields,
} from "./repositories/momentus-webhooks.repository.js";
export { verifyEncryptionKey, sealLegacySecrets, EncryptionKeyMismatchError } from "./secrets/key-check.js";
export { MAX_PREVIOUS_SECRETS } from "./secrets/endpoint-secrets.js";
