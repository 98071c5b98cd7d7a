import { request, type Agent } from "node:http";

/**
 * One POST with Node's own `http.request` over a keep-alive agent; resolves with the status once
 * the answer was read to its end (so the socket goes back to the agent). Plain node:http, not
 * got: where the driver's own CPU is measured (the floor), it must be the least a client can do.
 */
export function post(agent: Agent, url: URL, body: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        hostname: url.hostname,
        port: url.port,
        path: url.pathname,
        method: "POST",
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), ...headers },
      },
      (res) => {
        res.resume();
        res.once("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.once("error", reject);
    req.end(body);
  });
}
