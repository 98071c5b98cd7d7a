import { startHarness, type Harness } from "./harness.js";

let h: Harness;
beforeAll(async () => {
  // A small body limit keeps the 413 case cheap.
  h = await startHarness({ MAX_BODY_BYTES: "4096" });
});
afterAll(() => h.close());

const ERROR_SHAPE = {
  error: { code: expect.any(String), message: expect.any(String), details: expect.any(Array), request_id: expect.any(String) },
};

async function endpointCount() {
  return h.db.prisma.endpoint.count();
}

describe("bad input gets one error format and changes nothing", () => {
  it("answers malformed JSON with 400 invalid_json", async () => {
    const before = await endpointCount();
    const response = await h.request("POST", "/v1/endpoints", {
      rawBody: '{"name": "x",',
      headers: { "content-type": "application/json" },
    });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ ...ERROR_SHAPE, error: { ...ERROR_SHAPE.error, code: "invalid_json" } });
    expect(await endpointCount()).toBe(before);
  });

  it.each([["[]"], ['"a string"'], ["42"], ["null"]])("answers a JSON body of %s with 400 body must be object", async (raw) => {
    const response = await h.request("POST", "/v1/endpoints", { rawBody: raw, headers: { "content-type": "application/json" } });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: { code: "validation_error", details: [{ field: "body", message: "must be object" }] } });
  });

  it("answers a body over the limit with 413", async () => {
    const before = await endpointCount();
    const response = await h.request("POST", "/v1/endpoints", { body: { name: "x".repeat(5000), url: "https://e.com" } });
    expect(response.status).toBe(413);
    expect(response.body).toMatchObject({ error: { code: "payload_too_large" } });
    expect(await endpointCount()).toBe(before);
  });

  it("answers a string holding NUL, which Postgres cannot store, with 400 instead of a 500", async () => {
    const before = await endpointCount();
    const response = await h.request("POST", "/v1/endpoints", { body: { name: "a\u0000b", url: "https://e.com" } });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: { details: [{ field: "name", message: expect.stringContaining("NUL") }] } });
    expect(await endpointCount()).toBe(before);
  });

  it("answers a body that is not JSON with 415", async () => {
    const response = await h.request("POST", "/v1/endpoints", {
      rawBody: "name=x&url=https://e.com",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(response.status).toBe(415);
    expect(response.body).toMatchObject({ error: { code: "unsupported_media_type" } });
  });

  it("answers an empty POST as a body with missing fields", async () => {
    const response = await h.request("POST", "/v1/endpoints");
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: { code: "validation_error" } });
  });

  it.each([
    ["GET", "/v1/endpoints/%E0%A4%A"],
    ["GET", "/v1/endpoints/" + "x".repeat(5000)],
    ["GET", "/v1/endpoints/ep_%00"],
    ["PUT", "/v1/endpoints"],
    ["GET", "/v2/endpoints"],
  ])("never answers %s %s with a 5xx", async (method, path) => {
    const response = await h.request(method, path);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(response.body).toMatchObject(ERROR_SHAPE);
    expect(response.text).not.toMatch(/at .*\.(ts|js):\d+/);
  });

  it("echoes a client's request id and puts it in the error", async () => {
    const response = await h.request("GET", "/v1/endpoints/ep_missing", { headers: { "x-request-id": "trace-123" } });
    expect(response.headers.get("x-request-id")).toBe("trace-123");
    expect(response.body).toMatchObject({ error: { request_id: "trace-123" } });
  });
});
