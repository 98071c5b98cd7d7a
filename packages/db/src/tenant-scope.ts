import type { Database } from "./client.js";
import { apiKeyRepository } from "./repositories/api-keys.repository.js";
import { deliveryRepository } from "./repositories/deliveries.repository.js";
import { eventTypeRepository } from "./repositories/event-types.repository.js";
import { eventRepository } from "./repositories/events.repository.js";
import { tenantSettingsRepository } from "./repositories/tenant-settings.repository.js";
import { momentusWebhookRepository } from "./repositories/momentus-webhooks.repository.js";
import { webhookSettingRepository } from "./repositories/webhook-settings.repository.js";
import { endpointRepository } from "./repositories/endpoints.repository.js";
import { subscriptionRepository } from "./repositories/subscriptions.repository.js";

/**
 * The repositories of one tenant. Route handlers receive this, never the Prisma client, so no
 * query can forget the tenant.
 */
export function tenantScope(db: Pick<Database, "prisma" | "pool" | "secrets">, tenantId: string) {
  const { prisma, pool, secrets } = db;
  return {
    tenantId,
    apiKeys: apiKeyRepository(prisma, tenantId),
    endpoints: endpointRepository(prisma, secrets, tenantId),
    subscriptions: subscriptionRepository(prisma, tenantId),
    events: eventRepository(prisma, pool, tenantId),
    deliveries: deliveryRepository(prisma, tenantId),
    eventTypes: eventTypeRepository(prisma, pool, tenantId),
    settings: tenantSettingsRepository(prisma, tenantId),
    webhookSettings: webhookSettingRepository(prisma, secrets, tenantId),
    momentusWebhooks: momentusWebhookRepository(prisma, secrets, tenantId),
  };
}

export type TenantScope = ReturnType<typeof tenantScope>;
