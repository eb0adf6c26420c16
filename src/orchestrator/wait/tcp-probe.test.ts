// The tcp probe against real loopback sockets: a listener that keeps the connection passes; one
// that closes it at once (what Docker's port proxy does while nothing listens in the container)
// fails; a greeting counts as alive; a refused port fails.

import { after, test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server, type Socket } from "node:net";
import { tcpProbe } from "./probes.ts";

const servers: Server[] = [];
after(() => {
  for (const s of servers) s.close();
});

async function listen(onConnection: (socket: Socket) => void): Promise<number> {
  const server = createServer(onConnection);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as { port: number }).port;
}

test("a listener that keeps the connection open passes", async () => {
  const port = await listen(() => {});
  const r = await tcpProbe("127.0.0.1", port, 2000);
  assert.equal(r.ok, true, r.output);
});

test("a connection closed at once (a port proxy with nothing behind it) fails", async () => {
  const port = await listen((socket) => socket.end());
  const r = await tcpProbe("127.0.0.1", port, 2000);
  assert.equal(r.ok, false);
  assert.match(r.output, /closed at once \(nothing listens behind the published port yet\)/);
});

test("a server that greets and hangs up counts as alive", async () => {
  const port = await listen((socket) => socket.end("220 ready\r\n"));
  const r = await tcpProbe("127.0.0.1", port, 2000);
  assert.equal(r.ok, true, r.output);
});

test("a refused port fails with its code", async () => {
  const port = await listen(() => {});
  servers.pop()!.close();
  await new Promise((r) => setTimeout(r, 20));
  const r = await tcpProbe("127.0.0.1", port, 2000);
  assert.equal(r.ok, false);
  assert.match(r.output, /ECONNREFUSED|closed/);
});
