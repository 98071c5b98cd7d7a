// The floor's bare HTTP server (bench/src/floor.ts), a process of its own so that its CPU can be
// read from /proc apart from the driver's: it reads each POST's body and answers 202, the least
// an API must do for a published event.
import { createServer } from "node:http";

const ANSWER = JSON.stringify({ id: "evt_floor" });

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    // The body as one buffer, as a real handler would have it before parsing; nothing more.
    Buffer.concat(chunks);
    res.writeHead(202, { "content-type": "application/json" }).end(ANSWER);
  });
});
server.keepAliveTimeout = 120_000;
server.headersTimeout = 121_000;
server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  process.stdout.write("floor server listening\n");
});
