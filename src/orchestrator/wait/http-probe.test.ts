// The http probe of this host: refused, or hung up on by a port proxy with nothing behind it yet,
// is a failed attempt marked cheap to repeat (never a pass); an HTTP answer below 400 passes; a
// URL of another host is never marked for quick repeats. Real loopback sockets.

import { after, test } from "node:test";
import assert from "node:assert/strict";
import { createServer as createHttpServer } from "node:http";
import { createServer, type Server } from "node:net";
import { FakeEngine } from "../../../tests/helpers/fake-engine.ts";
import { httpProbe, isLoopbackUrl } from "./probes.ts";
import { waitHealthy } from "./wait.ts";

const servers: { close(): unknown }[] = [];
after(() => {
  for (const s of servers) s.close();
});

async function hangsUp(): Promise<number> {
  const server: Server = createServer((s) => setTimeout(() => s.destroy(), 3));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as { port: number }).port;
}

test("hung up on or refused by this host: a failed attempt, to repeat soon", async () => {
  const port = await hangsUp();
  const r = await httpProbe(`http://127.0.0.1:${port}/`, 2000);
  assert.equal(r.ok, false);
  assert.equal(r.soon, true, r.output);
  const refused = await httpProbe("http://127.0.0.1:1/", 2000);
  assert.equal(refused.ok, false);
  assert.equal(refused.soon, true, refused.output);
});

test("only loopback URLs are repeated soon", () => {
  assert.equal(isLoopbackUrl("http://127.0.0.1:8080/x"), true);
  assert.equal(isLoopbackUrl("http://localhost/"), true);
  assert.equal(isLoopbackUrl("http://[::1]:9000/"), true);
  assert.equal(isLoopbackUrl("http://10.0.0.5:8080/"), false);
  assert.equal(isLoopbackUrl("http://127.0.0.1.example.com/"), false);
  assert.equal(isLoopbackUrl("not a url"), false);
});

test("waitHealthy passes soon after the server answers, not before", async () => {
  const engine = new FakeEngine();
  engine.images.set("web", { Id: "sha256:w", RepoTags: ["web"] });
  const id = await engine.createContainer("p_web", { Image: "web", HostConfig: {} });
  await engine.startContainer(id);
  const port = await hangsUp(); // the port proxy, until the server takes the port over
  let answering = false;
  setTimeout(() => {
    servers.pop()!.close();
    const server = createHttpServer((_req, res) => res.end("ok"));
    servers.push(server);
    server.listen(port, "127.0.0.1", () => (answering = true));
  }, 400); // the back-off alone would try at 350 ms, then not before 750 ms
  const t0 = performance.now();
  await waitHealthy(
    engine,
    { name: "web", healthcheck: { http: `http://127.0.0.1:${port}/`, timeout_total: 10 } },
    id,
    new AbortController().signal,
  );
  const took = performance.now() - t0;
  assert.ok(answering, "healthy only once the server answers");
  assert.ok(took < 650, `passed soon after it answered (${took.toFixed(0)} ms)`);
});
