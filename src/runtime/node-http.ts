// The node:http fallback of `serve` (runtimes without a fetch-style server): converts each
// IncomingMessage into a web Request and streams the Response back, aborting the request's
// signal when the client goes away so streaming handlers stop.

import http from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import type { RunningServer, ServeOptions } from "./serve-types.ts";

export function serveWithNodeHttp(
  fetch: (request: Request) => Response | Promise<Response>,
  opts: ServeOptions,
): Promise<RunningServer> {
  const server = http.createServer(async (req, res) => {
    const controller = new AbortController();
    res.on("close", () => controller.abort());
    const host = req.headers.host ?? `${opts.hostname}:${opts.port}`;
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) {
      if (Array.isArray(v)) { for (const x of v) headers.append(k, x); }
      else if (v !== undefined) headers.set(k, v);
    }
    const hasBody = req.method !== "GET" && req.method !== "HEAD";
    const request = new Request(`http://${host}${req.url ?? "/"}`, {
      method: req.method,
      headers,
      body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
      signal: controller.signal,
      // @ts-ignore: required by undici for streamed bodies, unknown to the DOM types
      duplex: "half",
    });
    try {
      const response = await fetch(request);
      res.writeHead(response.status, Object.fromEntries(response.headers));
      if (!response.body) return void res.end();
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        if (!res.write(chunk)) await new Promise((r) => res.once("drain", r));
      }
      res.end();
    } catch {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    }
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.hostname, () => {
      const addr = server.address() as AddressInfo;
      resolve({
        hostname: addr.address,
        port: addr.port,
        stop: () =>
          new Promise<void>((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    });
  });
}
