import { Agent } from "node:http";
import got, { Options } from "got";
import { fixGotRequestOptions, gotsCreateNativeRequestOptions } from "../src/got-request-options.js";

fixGotRequestOptions();
const agent = new Agent({ keepAlive: true });
afterAll(() => agent.destroy());

/** Options as got builds them for a request (defaults merged), for each shape we compare. */
const cases: [string, string, ConstructorParameters<typeof Options>[1]][] = [
  [
    "a webhook as the delivery client sends it",
    "http://127.0.0.1:8080/hooks?x=1",
    {
      method: "POST",
      headers: { "content-type": "application/json", "webhook-id": "msg_1" },
      body: "{}",
      timeout: { request: 5000 },
      followRedirect: false,
      retry: { limit: 0 },
      throwHttpErrors: false,
      agent: { http: agent },
      decompress: true,
      dnsLookup: () => undefined,
    },
  ],
  [
    "https with TLS settings",
    "https://receiver.example.test/in",
    {
      method: "PUT",
      https: { rejectUnauthorized: false, certificateAuthority: "ca", serverName: "receiver.example.test", minVersion: "TLSv1.2" },
      localAddress: "127.0.0.1",
      dnsLookupIpVersion: 4,
    },
  ],
  ["cache options set", "http://127.0.0.1:1/", { cacheOptions: { shared: false, cacheHeuristic: 0.5 } }],
  ["a unix socket", "unix:/tmp/hookline.sock:/path", { enableUnixSockets: true }],
];

test.each(cases)("got's native request options are built as got builds them: %s", (_name, url, options) => {
  const built = new Options(url, options, got.defaults.options);
  const cacheOptions = (built as unknown as { _internals: { cacheOptions: unknown } })._internals.cacheOptions;
  const fixed = built.createNativeRequestOptions();
  expect(Options.prototype.createNativeRequestOptions).not.toBe(gotsCreateNativeRequestOptions);
  expect(fixed).toEqual(gotsCreateNativeRequestOptions.call(built));
  expect(Object.keys(fixed).sort()).toEqual(Object.keys(gotsCreateNativeRequestOptions.call(built)).sort());
  // The options' own cache settings are back where they were.
  expect((built as unknown as { _internals: { cacheOptions: unknown } })._internals.cacheOptions).toBe(cacheOptions);
});

test("installing the fix twice keeps one wrapper around got's own method", () => {
  const installed = Options.prototype.createNativeRequestOptions;
  fixGotRequestOptions();
  expect(Options.prototype.createNativeRequestOptions).toBe(installed);
});
