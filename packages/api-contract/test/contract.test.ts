import { Ajv, type Schema } from "ajv";
import addFormatsModule from "ajv-formats";
import * as contract from "../src/index.js";

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

/** Every request schema of the contract, by its export name. */
const schemas = Object.entries(contract).filter(([name]) => name.endsWith("Schema")) as [string, Schema][];

describe("the contract", () => {
  it("has a schema for every request body and query the API validates", () => {
    expect(schemas.map(([name]) => name).sort()).toEqual(
      expect.arrayContaining([
        "createEndpointSchema",
        "updateEndpointSchema",
        "createSubscriptionSchema",
        "publishEventSchema",
        "publishBatchSchema",
        "createWebhookSettingSchema",
        "createMomentusWebhookSchema",
        "listQuerySchema",
      ]),
    );
  });

  it.each(schemas)("%s compiles under strict JSON Schema rules with the contract's formats", (_name, schema) => {
    const ajv = new Ajv({ strict: true, allowUnionTypes: true });
    addFormats(ajv, ["date-time"]);
    for (const [format, { validate }] of Object.entries(contract.STRING_FORMATS)) ajv.addFormat(format, { type: "string", validate });
    expect(() => ajv.compile(schema)).not.toThrow();
  });

  it("defines its string formats as the API checks them", () => {
    const { "http-url": url, "webhook-secret": secret } = contract.STRING_FORMATS;
    expect([url.validate("https://example.com/hook"), url.validate("ftp://example.com"), url.validate("not a url")]).toEqual([
      true,
      false,
      false,
    ]);
    expect([secret.validate("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), secret.validate("whsec_short"), secret.validate("sk_x")]).toEqual([
      true,
      false,
      false,
    ]);
  });

  it("presents an endpoint in 002's shape, with the disabling only on a disabled endpoint", () => {
    const at = new Date("2026-01-01T00:00:00Z");
    const record = {
      id: "ep_1",
      name: "n",
      url: "https://e.com/",
      headersJson: {},
      timeoutSeconds: 10,
      status: "ACTIVE" as const,
      pausedAt: null,
      disabledAt: null,
      disabledReason: null,
      customerId: null,
      sendTraceparent: false,
      createdAt: at,
      updatedAt: at,
    };
    expect(Object.keys(contract.presentEndpoint(record))).toEqual([
      "id",
      "name",
      "url",
      "headers_json",
      "timeout_seconds",
      "status",
      "paused_at",
      "created_at",
      "updated_at",
    ]);
    expect(contract.presentEndpoint({ ...record, status: "DISABLED", disabledAt: at, disabledReason: "gone" })).toMatchObject({
      disabled_at: at.toISOString(),
      disabled_reason: "gone",
    });
    // A customer's endpoint names it; the others keep 002's shape above.
    expect(contract.presentEndpoint({ ...record, customerId: "cus_1" })).toMatchObject({ customer_id: "cus_1" });
    // The same for an endpoint that asked for the traceparent header.
    expect(contract.presentEndpoint({ ...record, sendTraceparent: true })).toMatchObject({ send_traceparent: true });
  });
});

describe("the document's request examples", () => {
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
  addFormats(ajv, ["date-time"]);
  for (const [format, { validate }] of Object.entries(contract.STRING_FORMATS)) ajv.addFormat(format, { type: "string", validate });
  const examples = Object.entries(contract.REQUEST_EXAMPLES);

  it("name operations that exist and take a body", () => {
    const withBody = contract.OPERATIONS.filter((operation) => operation.body !== undefined).map((operation) => operation.operationId);
    expect(examples.map(([id]) => id).filter((id) => !withBody.includes(id))).toEqual([]);
    expect(examples.length).toBeGreaterThanOrEqual(20);
  });

  it.each(examples)("%s's example is a body the API accepts", (operationId, example) => {
    const operation = contract.OPERATIONS.find((candidate) => candidate.operationId === operationId)!;
    const validate = ajv.compile(operation.body!);
    validate(example);
    expect(validate.errors ?? []).toEqual([]);
  });
});
