import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { HooklineError } from "../src/index.js";

/** A request a scripted server got. */
export interface Seen {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage["headers"];
  readonly body: string;
}

export interface ScriptedServer {
  readonly url: string;
  readonly seen: Seen[];
  close(): Promise<void>;
}

/**
 * A real HTTP server on a loopback port that answers each request as `answer` says (by its
 * index), for what the API cannot be made to do on cue: a 429 then a 200, a hang, a dropped
 * connection.
 */
export async function scriptedServer(answer: (res: ServerResponse, index: number, seen: Seen) => void): Promise<ScriptedServer> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const request = { method: req.method ?? "", path: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
      const index = seen.push(request) - 1;
      answer(res, index, request);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

/** The HooklineError a call rejects with (fails the test if it resolves or throws something else). */
export async function failure(call: Promise<unknown>): Promise<HooklineError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof HooklineError) return error;
    throw error;
  }
  throw new Error("expected the call to fail with a HooklineError");
}
