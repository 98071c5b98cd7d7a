// A receiver as its own process: answers 200 (after DELAY_MS) and remembers, per event id, the
// webhook-ids it was delivered with and how many times. GET /__seen returns that record.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

const delayMs = Number(process.env.DELAY_MS ?? "0");
const seen = new Map<string, Map<string, number>>();
let requests = 0;

const server = createServer((req, res) => {
  if (req.method === "GET" && req.url === "/__seen") {
    const events: Record<string, Record<string, number>> = {};
    for (const [eventId, ids] of seen) events[eventId] = Object.fromEntries(ids);
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ requests, events }));
    return;
  }
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    const answer = () => {
      if (res.destroyed) return;
      try {
        const eventId = (JSON.parse(Buffer.concat(chunks).toString("utf8")) as { id: string }).id;
        const webhookId = String(req.headers["webhook-id"]);
        const ids = seen.get(eventId) ?? new Map<string, number>();
        ids.set(webhookId, (ids.get(webhookId) ?? 0) + 1);
        seen.set(eventId, ids);
        requests++;
        res.writeHead(200).end("ok");
      } catch {
        res.writeHead(400).end("bad body");
      }
    };
    if (delayMs > 0) setTimeout(answer, delayMs);
    else answer();
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT ?? "0"), "127.0.0.1", () => {
  process.stdout.write(`receiver listening on ${(server.address() as AddressInfo).port}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
