import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { startReceiver, type Receiver } from "@hookline/testing";
import { createAddressPolicy } from "../src/address-policy.js";
import { createHttpClient, type HttpClient, type Resolver } from "../src/http-client.js";

/**
 * The SSRF guard on real sockets. The canary listens on 127.0.0.1, which no client here may
 * reach, and must see zero requests. A stand-in for a public receiver listens on 127.0.0.2, which
 * the allowlist of these clients lets through (all of 127/8 is loopback on Linux).
 */
let canary: Receiver;
let publicStandIn: Receiver;
const clients: HttpClient[] = [];
const canaryPort = () => new URL(canary.url).port;

beforeAll(async () => {
  canary = await startReceiver();
  publicStandIn = await startReceiver(
    (request) => (request.path === "/redirect" ? { status: 302, headers: { location: `${canary.url}/stolen` } } : { status: 200 }),
    {
      host: "127.0.0.2",
    },
  );
});
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});
afterAll(async () => {
  expect(canary.requests).toHaveLength(0);
  await Promise.all([canary.close(), publicStandIn.close()]);
});

function client(options: { resolve?: Resolver; allow?: string[]; maxBodyBytes?: number } = {}): HttpClient {
  const made = createHttpClient({
    maxBodyBytes: options.maxBodyBytes ?? 4096,
    policy: createAddressPolicy(options.allow ?? ["127.0.0.2"]),
    ...(options.resolve && { resolve: options.resolve }),
  });
  clients.push(made);
  return made;
}

const post = (http: HttpClient, url: string, timeoutMs = 2_000) =>
  http.send({ url, headers: { "content-type": "application/json" }, body: "{}", timeoutMs });
const answers =
  (...addresses: string[]): Resolver =>
  async () =>
    addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));

describe("the SSRF guard at connect time", () => {
  it.each([
    "http://127.0.0.1:PORT/",
    "http://2130706433:PORT/",
    "http://0x7f000001:PORT/",
    "http://0x7f.1:PORT/",
    "http://127.1:PORT/",
    "http://0177.0.0.1:PORT/",
    "http://[::ffff:127.0.0.1]:PORT/",
    "http://[::1]:PORT/",
    "http://localhost:PORT/",
  ])("refuses %s without opening a connection", async (template) => {
    const result = await post(client(), template.replace("PORT", canaryPort()));
    expect(result.errorKind).toBe("blocked_address");
    expect(result.statusCode).toBeUndefined();
    expect(result.errorMessage).toMatch(/ALLOW_PRIVATE_TARGETS/);
  });

  it("refuses a host name that resolves to a private address", async () => {
    const result = await post(client({ resolve: answers("127.0.0.1") }), `http://hooks.example.test:${canaryPort()}/`);
    expect(result).toMatchObject({ errorKind: "blocked_address" });
    expect(result.errorMessage).toMatch(/127\.0\.0\.1 \(resolved from hooks\.example\.test\): the address is loopback/);
  });

  it("refuses a host name whose answers mix public and private addresses, in either order", async () => {
    for (const order of [
      ["127.0.0.2", "127.0.0.1"],
      ["127.0.0.1", "127.0.0.2"],
      ["127.0.0.2", "::ffff:169.254.169.254"],
    ]) {
      const result = await post(client({ resolve: answers(...order) }), `http://mixed.example.test:${canaryPort()}/`);
      expect(result.errorKind).toBe("blocked_address");
    }
  });

  it("connects to the address it checked: a rebinding resolver gets no second chance", async () => {
    let lookups = 0;
    // The first answer is the allowed stand-in, every later one the canary.
    const rebinding: Resolver = async () => [{ address: lookups++ === 0 ? "127.0.0.2" : "127.0.0.1", family: 4 }];
    const http = client({ resolve: rebinding });
    const port = new URL(publicStandIn.url).port;
    const first = await post(http, `http://rebind.example.test:${port}/`);
    expect(first.statusCode).toBe(200);
    // One lookup for the one connection: nothing resolved the name again between check and connect.
    expect(lookups).toBe(1);
    const second = await post(client({ resolve: rebinding }), `http://rebind.example.test:${canaryPort()}/`);
    expect(second.errorKind).toBe("blocked_address");
  });

  it("reaches a private receiver that the allowlist names", async () => {
    const received = publicStandIn.requests.length;
    const result = await post(client({ resolve: answers("127.0.0.2") }), `http://allowed.example.test:${new URL(publicStandIn.url).port}/`);
    expect(result.statusCode).toBe(200);
    expect(publicStandIn.requests.length).toBe(received + 1);
  });

  it("does not follow a redirect, not even to an address it would refuse anyway", async () => {
    const result = await post(client(), `${publicStandIn.url}/redirect`);
    expect(result.statusCode).toBe(302);
    expect(result.headers?.location).toContain(canaryPort());
  });
});

describe("reading a response", () => {
  let server: Server;
  let url: string;
  const closedAfter: number[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      const chunk = Buffer.alloc(64 * 1024, 120);
      let written = 0;
      res.on("close", () => closedAfter.push(written));
      if (req.url === "/huge") {
        // 50 MB, written as fast as the client reads it.
        const pump = () => {
          while (written < 50 * 1024 * 1024 && !res.destroyed) {
            written += chunk.length;
            if (!res.write(chunk)) return void res.once("drain", pump);
          }
          res.end();
        };
        pump();
      } else {
        // One byte every 50 ms: forever, as far as a 1 s timeout is concerned.
        const timer = setInterval(() => {
          written += 1;
          res.write("x");
        }, 50);
        res.on("close", () => clearInterval(timer));
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.2", resolve));
    url = `http://127.0.0.2:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it("keeps the first bytes of a 50 MB body and hangs up on the rest", async () => {
    const result = await post(client({ maxBodyBytes: 4096 }), `${url}/huge`);
    expect(result.statusCode).toBe(200);
    expect(result.body).toHaveLength(4096);
    await waitUntil(() => closedAfter.length >= 1);
    expect(closedAfter[0]).toBeLessThan(50 * 1024 * 1024);
  });

  it("ends a trickling response at the endpoint's timeout", async () => {
    const result = await post(client(), `${url}/trickle`, 1_000);
    // The status arrived in time and stays the outcome; the timeout cut the body short.
    expect(result.statusCode).toBe(200);
    expect(result.errorMessage).toMatch(/timeout/i);
    await waitUntil(() => closedAfter.length >= 2);
  });
});

async function waitUntil(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setImmediate(resolve));
}
