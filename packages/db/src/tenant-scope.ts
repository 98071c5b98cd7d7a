import type { Database } from "./client.js";
import { apiKeyRepository } from "./tenants/api-keys.repository.js";
import { deliveryRepository } from "./events/deliveries.repository.js";
import { eventTypeRepository } from "./events/event-types.repository.js";
import { eventRepository } from "./events/events.repository.js";
import { statsRepository } from "./events/delivery-stats.js";
import { tenantSettingsRepository } from "./tenants/tenant-settings.repository.js";
import { endpointRepository } from "./endpoints/endpoints.repository.js";
import { subscriptionRepository } from "./endpoints/subscriptions.repository.js";
import { brandRepository } from "./inbound/brands.repository.js";
import { environmentRepository } from "./inbound/environments.repository.js";
import { environmentVariableRepository } from "./inbound/environment-variables.repository.js";
import { executionRepository } from "./inbound/executions.repository.js";
import { inboundEndpointRepository } from "./inbound/inbound-endpoints.repository.js";
import { workflowRepository } from "./inbound/workflows.repository.js";
import { customerRepository } from "./integrations/customers.repository.js";
import { flowExecutionRepository } from "./integrations/flow-executions.js";
import { instanceRepository } from "./integrations/instances.repository.js";
import { integrationRepository } from "./integrations/integrations.repository.js";
import { portalTokenRepository } from "./portal/portal-tokens.js";

type Db = Pick<Database, "prisma" | "pool" | "secrets">;

/** Each repository of a tenant, made from the database and the tenant's id. */
const repositories = {
  apiKeys: (db: Db, tenantId: string) => apiKeyRepository(db.prisma, tenantId),
  endpoints: (db: Db, tenantId: string) => endpointRepository(db.prisma, db.secrets, tenantId),
  subscriptions: (db: Db, tenantId: string) => subscriptionRepository(db.prisma, tenantId),
  events: (db: Db, tenantId: string) => eventRepository(db.prisma, db.pool, tenantId),
  deliveries: (db: Db, tenantId: string) => deliveryRepository(db.prisma, tenantId),
  stats: (db: Db, tenantId: string) => statsRepository(db.pool, tenantId),
  eventTypes: (db: Db, tenantId: string) => eventTypeRepository(db.prisma, db.pool, tenantId),
  settings: (db: Db, tenantId: string) => tenantSettingsRepository(db.prisma, tenantId),
  brands: (db: Db, tenantId: string) => brandRepository(db.prisma, tenantId),
  environments: (db: Db, tenantId: string) => environmentRepository(db.prisma, db.secrets, tenantId),
  variables: (db: Db, tenantId: string) => environmentVariableRepository(db.prisma, db.secrets, tenantId),
  inboundEndpoints: (db: Db, tenantId: string) => inboundEndpointRepository(db.prisma, tenantId),
  workflows: (db: Db, tenantId: string) => workflowRepository(db.prisma, tenantId),
  executions: (db: Db, tenantId: string) => executionRepository(db.prisma, tenantId),
  customers: (db: Db, tenantId: string) => customerRepository(db.prisma, db.pool, tenantId),
  integrations: (db: Db, tenantId: string) => integrationRepository(db.prisma, db.secrets, tenantId),
  instances: (db: Db, tenantId: string) => instanceRepository(db.prisma, db.secrets, tenantId),
  flowExecutions: (db: Db, tenantId: string) => flowExecutionRepository(db.prisma, tenantId),
  portalTokens: (db: Db, tenantId: string) => portalTokenRepository(db.prisma, tenantId),
};

type Repositories = { readonly [K in keyof typeof repositories]: ReturnType<(typeof repositories)[K]> };

/** The repositories of one tenant; route handlers receive this, never the Prisma client, so no query can forget the tenant. */
export type TenantScope = { readonly tenantId: string } & Repositories;

/**
 * The repositories of one tenant, each made when first used: a request that only publishes
 * builds the events repository and nothing else, however many domains the scope spans.
 */
export function tenantScope(db: Db, tenantId: string): TenantScope {
  const scope: Record<string, unknown> = { tenantId };
  for (const [name, make] of Object.entries(repositories)) {
    Object.defineProperty(scope, name, {
      enumerable: true,
      configurable: true,
      get() {
        const repository = make(db, tenantId);
        Object.defineProperty(scope, name, { value: repository, enumerable: true });
        return repository;
      },
    });
  }
  return scope as TenantScope;
}
