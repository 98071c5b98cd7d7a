import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { startHarness, type Harness } from "@hookline/api/harness";
import { Hookline } from "../src/index.js";

/**
 * A publish whose answer is lost after the API stored the event: the SDK sends it again with
 * the same Idempotency-Key, and the API answers with the event it stored, creating nothing more.
 * A real proxy in front of the real API loses the first answer by closing the connection.
 */
let h: Harness;
let proxy: Server;
let proxyUrl: string;
const forwarded: { key: string | undefined; answer: unknown }[] = [];
beforeAll(async () => {
  h = await startHarness();
  proxy = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", async () => {
      const headers = Object.fromEntries(
        Object.entries(req.headers).filter((entry): entry is [string, string] => typeof entry[1] === "string" && entry[0] !== "host"),
      );
      const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
      const response = await fetch(`${h.api.url}${req.url}`, { method: req.method, headers, body });
      const text = await response.text();
      forwarded.push({ key: headers["idempotency-key"], answer: JSON.parse(text) });
      // The first publish reached the API and was stored; its answer never reaches the client.
      if (forwarded.length === 1) return void res.socket?.destroy();
      res.writeHead(response.status, { "content-type": "application/json" });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});
afterAll(async () => {
  proxy.closeAllConnections();
  await new Promise<void>((resolve) => proxy.close(() => resolve()));
  await h.close();
});

describe("an idempotent publish, retried", () => {
  it("returns the event stored by the attempt whose answer was lost, and stores it once", async () => {
    const hookline = new Hookline({ apiKey: h.apiKey, baseUrl: proxyUrl });
    const published = await hookline.events.publish({ event_type: "order.paid", data: { amount: 5 } });

    expect(forwarded).toHaveLength(2);
    expect(forwarded[1]!.key).toBe(forwarded[0]!.key);
    expect(forwarded[0]!.answer).toMatchObject({ id: published.id });
    expect(published).toEqual(forwarded[0]!.answer);
    expect(await h.db.prisma.event.count({ where: { tenantId: h.tenantId } })).toBe(1);
    expect(await h.db.prisma.event.count({ where: { idempotencyKey: forwarded[0]!.key } })).toBe(1);
  });
});
