// The floor's HTTP server (bench/src/floor.ts), a process of its own so that its CPU can be read
// from /proc apart from the driver's. FLOOR_SERVER=node (the default) is a bare node:http server
// that reads each POST's body and answers 202, the least an API must do for a published event;
// FLOOR_SERVER=express does the same in Express 5 with express.json(), the least the API's own
// framework does.
import { createServer } from "node:http";
import express from "express";

const ANSWER = JSON.stringify({ id: "evt_floor" });

function bare() {
  return createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      // The body as one buffer, as a real handler would have it before parsing; nothing more.
      Buffer.concat(chunks);
      res.writeHead(202, { "content-type": "application/json" }).end(ANSWER);
    });
  });
}

function withExpress() {
  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  app.use(express.json({ limit: "1mb" }));
  // The parsed body is what the API validates; answering with it would add a serialisation the API does not make.
  app.post("/v1/events", (_req, res) => void res.status(202).json({ id: "evt_floor" }));
  return createServer(app);
}

const server = process.env.FLOOR_SERVER === "express" ? withExpress() : bare();
server.keepAliveTimeout = 120_000;
server.headersTimeout = 121_000;
server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  process.stdout.write("floor server listening\n");
});
