/**
 * Request bodies from the README's curl examples, shown in the document beside each schema. A test
 * validates every one against the schema the API checks requests with, so an example cannot drift
 * from what the API accepts.
 */
export const REQUEST_EXAMPLES: Readonly<Record<string, unknown>> = {
  createTenant: { name: "Acme" },
  createApiKey: { name: "ci", expires_at: "2030-01-01T00:00:00Z" },
  createEndpoint: { name: "my-webhook", url: "https://example.com/webhook", headers_json: { "X-Env": "prod" } },
  updateEndpoint: { status: "PAUSED" },
  rotateEndpointSecret: { grace_period_seconds: 3600 },
  recoverEndpoint: { since: "2026-11-20T00:00:00Z" },
  sendTestEvent: { event_type: "payment.created", data: { amount: 5 } },
  createSubscription: { endpoint_id: "ep_0193c5d2a8f27d4e9b1c6a3f5e7d9b21", event_types: ["entity.updated", "payment.*"] },
  updateSubscription: { event_types: ["role.*"] },
  publishEvent: { event_type: "entity.updated", data: { entity_id: "e_1" }, object_id: "e_1", idempotency_key: "upd-e_1-42" },
  publishEvents: {
    events: [
      { event_type: "entity.created", data: { entity_id: "e_2" } },
      { event_type: "entity.updated", data: { entity_id: "e_1" }, idempotency_key: "upd-e_1-43" },
    ],
  },
  createEventType: {
    name: "payment.created",
    description: "A payment was made",
    schema: { type: "object", required: ["amount"], properties: { amount: { type: "number" } } },
  },
  updateEventType: { deprecated: true },
  updateSettings: { strict_event_types: true },
  createWebhookSetting: { object_type: "entity", url: "https://yourendpointurl.com", name: "My webhook" },
  updateWebhookSetting: { object_type: "payment" },
  createWebhook: {
    name: "Account Update",
    trigger_action: "account.updated",
    url: "https://crm.example/hooks",
    asynchronous: true,
    ignore_for_api: true,
    active: true,
    authentication: {
      method: "oauth",
      token_url: "https://crm.example/oauth/token",
      client_id: "hookline",
      client_secret: "s3cr3t",
      scope: "webhooks",
    },
  },
  updateWebhook: { active: false },
  rotateEnvironmentKeys: { key: "public_key" },
  createInboundEndpoint: { name: "Stripe", path: "/webhook/stripe", method: "POST", access_level: "none" },
  createCustomer: { name: "Customer A", external_id: "abc-123" },
  createIntegration: {
    name: "Acme ERP",
    flows: [
      { name: "Update Inventory", code: "export default async ({ request, env, customer, flow }) => ({ ok: true })" },
      {
        name: "Process Order",
        code: "export default async ({ request }) => { const o = await request.json(); return { id: o.id }; }",
        security: { type: "customer" },
      },
    ],
    endpoint_config: { type: "shared", flow_name: { header: "myflowname" }, customer_external_id: { payload: "myCustomerId" } },
  },
  createListenSession: { event_types: ["payment.*"] },
  reportListenResult: {
    delivery_id: "msg_0193c5d2a8f27d4e9b1c6a3f5e7d9b21",
    attempt_id: "5f0c1e7a-3b1d-4c58-9a3e-2f4b6d8e0a1c",
    status_code: 200,
    body: "ok",
    duration_ms: 12,
  },
};
