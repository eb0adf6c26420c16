// The runtime adapter's `serve` (Bun.serve / Deno.serve / node:http) and the node:http
// fallback on its own: a real socket on 127.0.0.1, a request body in, a streamed body out,
// and a port already in use refused.

import assert from "node:assert/strict";
import { test } from "node:test";
import { serve } from "./adapter.ts";
import { serveWithNodeHttp } from "./node-http.ts";

const handler = async (req: Request): Promise<Response> => {
  if (req.method === "POST") return new Response(`got ${(await req.text()).length} bytes`);
  const enc = new TextEncoder();
  return new Response(
    new ReadableStream({
      start(c) {
        c.enqueue(enc.encode("one,"));
        c.enqueue(enc.encode("two"));
        c.close();
      },
    }),
    { headers: { "x-path": new URL(req.url).pathname } },
  );
};

for (
  const [name, start] of [["runtime serve", serve], [
    "node:http fallback",
    serveWithNodeHttp,
  ]] as const
) {
  test(`${name}: bodies in and out, port 0, bind conflict rejected`, async () => {
    const server = await start(handler, { hostname: "127.0.0.1", port: 0 });
    try {
      assert.ok(server.port > 0);
      const get = await fetch(`http://127.0.0.1:${server.port}/a/b?c=1`);
      assert.equal(get.headers.get("x-path"), "/a/b");
      assert.equal(await get.text(), "one,two");
      const post = await fetch(`http://127.0.0.1:${server.port}/`, {
        method: "POST",
        body: "x".repeat(100_000),
      });
      assert.equal(await post.text(), "got 100000 bytes");
      await assert.rejects(start(handler, { hostname: "127.0.0.1", port: server.port }));
    } finally {
      await server.stop();
    }
  });
}
