import { createTenant, tenantScope, type Database, type EndpointWithSubscriptions as Endpoint } from "../src/index.js";

/**
 * A fresh tenant with one endpoint subscribed to `<name>.x`, and `count` events published to it:
 * the endpoint and the ids of its pending deliveries, in publishing order.
 */
export async function endpointWithDeliveries(
  db: Database,
  name: string,
  count: number,
): Promise<{ endpoint: Endpoint; deliveryIds: string[] }> {
  const { tenant } = await createTenant(db, { name });
  const scope = tenantScope(db, tenant.id);
  const endpoint = await scope.endpoints.create({
    name: "e",
    url: `https://${name}.com/`,
    secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    headers: {},
    timeoutSeconds: 5,
  });
  await scope.subscriptions.create({ endpointId: endpoint.id, eventTypes: [`${name}.x`] });
  const published = await scope.events.publishBatch(
    Array.from({ length: count }, (_, i) => ({ eventType: `${name}.x`, data: { i } })),
    { idempotencyWindowMs: 1000 },
  );
  const deliveryIds = published.flatMap((p) => (p.outcome === "published" ? p.deliveries.map((d) => d.id) : []));
  return { endpoint, deliveryIds };
}
