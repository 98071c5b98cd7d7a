// The benchmark's receiver, a process of its own so that its work is not charged to the bench
// driver's event loop. Endpoint i is the path /e/<i>; a control API sets how each endpoint
// behaves and reads what arrived: counts per endpoint and second, and latency from the moment
// the publisher called the API (data.sent_at) to receipt.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";

type Mode = "ok" | "fail" | "hang" | "down";

const modes = new Map<number, Mode>();
let windowStart = now();
let arrivals: { endpoint: number; latencyMs: number; second: number; delivered: boolean }[] = [];
const seen = new Set<string>();
// Running counts over the receiver's whole life (never reset, so a driver's baseline stays valid
// across measurement windows), so that frequent polls cost nothing per arrival.
let deliveredTotal = 0;
const deliveredBy = new Map<number, number>();
let duplicates = 0;
// Never reset either: a driver that waits for everything it published to arrive (S9) compares
// distinct deliveries (seen.size) and duplicates against its own baseline.
let duplicatesTotal = 0;
const held = new Set<ServerResponse>();

function now(): number {
  return performance.timeOrigin + performance.now();
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
  });
}

function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? null;
}

function stats(exclude: ReadonlySet<number>) {
  const included = arrivals.filter((a) => a.delivered && !exclude.has(a.endpoint));
  const latencies = included.map((a) => a.latencyMs).sort((x, y) => x - y);
  const perEndpoint: Record<number, number> = {};
  const timeline: Record<number, Record<number, number>> = {};
  for (const a of arrivals) {
    if (!a.delivered) continue;
    perEndpoint[a.endpoint] = (perEndpoint[a.endpoint] ?? 0) + 1;
    const second = (timeline[a.second] ??= {});
    second[a.endpoint] = (second[a.endpoint] ?? 0) + 1;
  }
  return {
    elapsedMs: now() - windowStart,
    arrivals: arrivals.length,
    delivered: included.length,
    duplicates,
    latencyMs: {
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      p99: percentile(latencies, 99),
      max: latencies.at(-1) ?? null,
    },
    perEndpoint,
    timeline,
  };
}

async function control(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  if (url.pathname === "/control/reset") {
    windowStart = now();
    arrivals = [];
    duplicates = 0;
    return json(res, 200, { ok: true });
  }
  if (url.pathname === "/control/modes") {
    const body = JSON.parse(await readBody(req)) as Record<string, Mode>;
    for (const [endpoint, mode] of Object.entries(body)) modes.set(Number(endpoint), mode);
    // Endpoints no longer hanging let go of the requests they held.
    for (const res of held) if (!res.destroyed) res.writeHead(200).end("ok");
    held.clear();
    return json(res, 200, { ok: true });
  }
  if (url.pathname === "/control/count") {
    const exclude = new Set((url.searchParams.get("exclude") ?? "").split(",").filter(Boolean).map(Number));
    let excluded = 0;
    for (const endpoint of exclude) excluded += deliveredBy.get(endpoint) ?? 0;
    return json(res, 200, { delivered: deliveredTotal - excluded, distinct: seen.size, duplicates: duplicatesTotal });
  }
  if (url.pathname === "/control/stats") {
    const exclude = new Set((url.searchParams.get("exclude") ?? "").split(",").filter(Boolean).map(Number));
    return json(res, 200, stats(exclude));
  }
  json(res, 404, {});
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://receiver");
  if (url.pathname.startsWith("/control/")) return void control(req, res, url);
  const endpoint = Number(/^\/e\/(\d+)/.exec(url.pathname)?.[1] ?? -1);
  const mode = modes.get(endpoint) ?? "ok";
  if (mode === "down") {
    req.socket.destroy();
    return;
  }
  void readBody(req).then((body) => {
    const at = now();
    let latencyMs = Number.NaN;
    try {
      const sentAt = (JSON.parse(body) as { data?: { sent_at?: number } }).data?.sent_at;
      if (typeof sentAt === "number") latencyMs = at - sentAt;
    } catch {
      // Not an event (the ceiling measurement posts plain bytes).
    }
    const id = String(req.headers["webhook-id"] ?? "");
    const delivered = mode === "ok";
    if (delivered && id !== "") {
      if (seen.has(id)) {
        duplicates++;
        duplicatesTotal++;
      } else seen.add(id);
    }
    arrivals.push({ endpoint, latencyMs, second: Math.floor((at - windowStart) / 1000), delivered });
    if (delivered) {
      deliveredTotal++;
      deliveredBy.set(endpoint, (deliveredBy.get(endpoint) ?? 0) + 1);
    }
    if (mode === "hang") {
      held.add(res);
      res.on("close", () => held.delete(res));
      return;
    }
    res.writeHead(mode === "ok" ? 200 : 500, { "content-type": "text/plain" }).end(mode === "ok" ? "ok" : "failing on purpose");
  });
});
server.keepAliveTimeout = 120_000;
server.headersTimeout = 121_000;
server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  const address = server.address();
  process.stdout.write(`bench receiver listening on ${typeof address === "object" && address ? address.port : "?"}\n`);
});
