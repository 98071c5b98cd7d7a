// The database layer: the only package that touches Prisma or the pg pool (a lint rule keeps it so).

// Connection, migrations, errors.
export { connectDatabase, type Database, type DatabaseOptions, type PrismaClient } from "./client.js";
export { postgresDependency } from "./reachability.js";
export { runMigrations, ensureDatabaseExists, readMigrations, MigrationError, type Migration, type MigrationResult } from "./migrator.js";
export { MIGRATIONS_DIR, SCHEMA_PATH } from "./paths.js";
export {
  describeDatabaseFailure,
  isDatabaseUnavailable,
  isForeignKeyViolation,
  isTransientConflict,
  retryOnConflict,
} from "./database-errors.js";
export { batcher } from "./batcher.js";
export type { Page, PageRequest } from "./pagination.js";
export { tenantScope, type TenantScope } from "./tenant-scope.js";

// Tenants, their API keys and settings.
export { createTenant, listTenants, type CreatedTenant } from "./tenants/tenants.repository.js";
export {
  apiKeyRepository,
  findApiKeyForAuth,
  type ApiKeyRecord,
  type ApiKeyRepository,
  type KeyForAuth,
} from "./tenants/api-keys.repository.js";
export { portalLookOf, tenantSettingsRepository, type TenantSettings } from "./tenants/tenant-settings.repository.js";
export { dashboardSessions, type DashboardSession, type OpenedSession } from "./tenants/dashboard-sessions.js";
export {
  findPortalTokenForAuth,
  portalTokenRepository,
  type IssuedPortalToken,
  type PortalTokenForAuth,
  type PortalTokenRepository,
} from "./portal/portal-tokens.js";
export { customerOwns, type PortalOwned } from "./portal/portal-ownership.js";

// Endpoints (every API flavour) and subscriptions.
export {
  endpointRepository,
  type Endpoint,
  type EndpointOAuth,
  type EndpointFilter,
  type EndpointPatch,
  type CustomerRefusal,
  type EndpointRefusal,
  type EndpointRepository,
  type EndpointStatus,
  type EndpointWithSubscriptions,
  type FlavourScope,
  type NewEndpoint,
  type RotatedSecret,
  type UpdatedEndpoint,
} from "./endpoints/endpoints.repository.js";
export { subscriptionRepository, type Subscription, type SubscriptionRepository } from "./endpoints/subscriptions.repository.js";
export { MAX_PREVIOUS_SECRETS } from "./endpoints/endpoint-secrets.js";

// Events, the registry, deliveries.
export {
  eventRepository,
  type Event,
  type EventRepository,
  type EventFilter,
  type EventWithDeliveries,
  type NewEvent,
  type PublishOptions,
  type PublishResult,
} from "./events/events.repository.js";
export {
  eventTypeRepository,
  type EventType,
  type EventTypeFields,
  type EventTypeRepository,
  type PublishRegistry,
  type RegisteredType,
} from "./events/event-types.repository.js";
export {
  deliveryRepository,
  type Attempt,
  type Delivery,
  type DeliveryRepository,
  type DeliveryFilter,
  type DeliveryStatus,
  type DeliveryWithAttempts,
} from "./events/deliveries.repository.js";
export { claimStaleRecoveries, continueRecovery, type Recovery } from "./events/recoveries.js";
export {
  statsRepository,
  type DeliveryStats,
  type FailingEndpoint,
  type MinuteCounts,
  type StatsOptions,
  type StatsRepository,
} from "./events/delivery-stats.js";

// The workers' side: the delivery engine's work store, the sweeper's queries.
export { createWorkStore } from "./work/work-store.js";
export { deleteExpiredIdempotencyKeys, releaseStrandedHeldDeliveries, withDueDeliveries, type DueCursor } from "./work/due-deliveries.js";

// Inbound: environments, brands, inbound endpoints and their workflows, executions.
export { brandRepository, type Brand, type BrandInUse, type BrandRepository } from "./inbound/brands.repository.js";
export {
  environmentRepository,
  type Environment,
  type EnvironmentKeys,
  type EnvironmentKind,
  type EnvironmentRepository,
  type EndpointsWouldClash,
} from "./inbound/environments.repository.js";
export {
  environmentVariableRepository,
  MAX_VARIABLES_PER_ENVIRONMENT,
  type EnvironmentVariable,
  type EnvironmentVariableRepository,
} from "./inbound/environment-variables.repository.js";
export {
  inboundEndpointRepository,
  type AccessLevel,
  type InboundEndpoint,
  type InboundEndpointClash,
  type InboundEndpointPatch,
  type InboundEndpointRepository,
  type NewInboundEndpoint,
} from "./inbound/inbound-endpoints.repository.js";
export {
  workflowRepository,
  type WorkflowChange,
  type WorkflowRepository,
  type WorkflowState,
  type WorkflowVersion,
} from "./inbound/workflows.repository.js";
export {
  executionRepository,
  type Execution,
  type ExecutionError,
  type ExecutionFilter,
  type ExecutionLogLine,
  type ExecutionOutcome,
  type ExecutionRepository,
} from "./inbound/executions.repository.js";
export {
  loadCompiledWorkflow,
  loadEnvironmentVariables,
  loadInboundRoutes,
  openVariables,
  type InboundRoutes,
  type ServedEndpoint,
  type StoredVariable,
} from "./inbound/inbound-routing.js";
export { recordExecutions, type ExecutionRow } from "./inbound/record-executions.js";
export { provisionMissingEnvironments } from "./inbound/default-environments.js";

// Integrations: customers, integrations and their versions, instances, trigger routing, flow executions.
export {
  customerRepository,
  ensureTestCustomer,
  provisionTestCustomers,
  type Customer,
  type CustomerRepository,
} from "./integrations/customers.repository.js";
export type { NamedCustomers } from "./integrations/customer-lookups.js";
export {
  integrationRepository,
  type FlowInput,
  type Integration,
  type IntegrationInput,
  type IntegrationRepository,
} from "./integrations/integrations.repository.js";
export {
  instanceRepository,
  type ConfigInput,
  type Instance,
  type InstanceRefusal,
  type InstanceRepository,
} from "./integrations/instances.repository.js";
export {
  findInstanceForCustomer,
  instanceKeyOpens,
  latestDeployedVersion,
  loadInstanceTarget,
  loadIntegrationVersion,
  loadTrigger,
  organizationKeyOpens,
  type InstanceTarget,
  type TriggerTarget,
} from "./integrations/trigger-routing.js";
export {
  claimFlowExecution,
  finishFlowExecution,
  flowExecutionRepository,
  insertFlowExecution,
  staleFlowExecutions,
  type ClaimedFlowExecution,
  type FlowExecution,
  type FlowExecutionEnding,
  type FlowExecutionRepository,
  type NewFlowExecution,
} from "./integrations/flow-executions.js";
export { openInstanceConfig } from "./integrations/integration-secrets.js";

// Secrets at rest: the startup key check.
export { verifyEncryptionKey, sealLegacySecrets, EncryptionKeyMismatchError } from "./secrets/key-check.js";

// Retention: the attempts' partitions and the background purge of expired history.
export { purgeDeletedEndpoints } from "./endpoints/endpoint-deletion.js";
export {
  attemptPartitions,
  droppableBefore,
  dropExpiredAttemptPartitions,
  ensureAttemptPartitions,
  type AttemptPartition,
} from "./retention/attempt-partitions.js";
export {
  purgeExpiredHistory,
  purgeTenant,
  tenantCutoffs,
  type PurgeCounts,
  type PurgeOptions,
  type TenantCutoff,
} from "./retention/purge.js";
