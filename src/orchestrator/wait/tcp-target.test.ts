// The tcp probe's route: the container's own address only when this host owns the network's
// bridge over a unix socket; there a refusal is a cheap "not yet" and an accept passes without
// the port-proxy hold; an address that cannot be reached (or stays silent) falls back to the
// published port, with its hold, for the rest of the run. Real loopback sockets stand in for the
// container (its "address" is 127.0.0.1) and for Docker's port proxy.

import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server, type Socket } from "node:net";
import { FakeEngine } from "../../../tests/helpers/fake-engine.ts";
import type { ContainerInspect } from "../../docker/types.ts";
import { directAddress, type Interfaces, TcpTarget } from "./tcp-target.ts";
import { waitHealthy } from "./wait.ts";

const NETWORK_ID = "0123456789abcdef".repeat(4);
const BRIDGE = `br-${NETWORK_ID.slice(0, 12)}`;
const ownsBridge: Interfaces = () => ({
  lo: [{ address: "127.0.0.1" }],
  [BRIDGE]: [{ address: "127.0.0.254" }],
});
const noBridge: Interfaces = () => ({ lo: [{ address: "127.0.0.1" }] });

const servers: Server[] = [];
after(() => {
  for (const s of servers) s.close();
});

async function listen(onConnection: (socket: Socket) => void = () => {}): Promise<number> {
  const server = createServer(onConnection);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as { port: number }).port;
}

/** A port nothing listens on (refused). */
async function closedPort(): Promise<number> {
  const port = await listen();
  await new Promise<void>((resolve) => servers.pop()!.close(() => resolve()));
  return port;
}

/** A port proxy with nothing behind it: accepts, then closes a moment later. */
const proxyNothingBehind = () => listen((s) => setTimeout(() => s.end(), 5));

function inspectOf(containerPort: number, hostPort: number, ip = "127.0.0.1"): ContainerInspect {
  return {
    Id: "c1",
    Name: "/p-svc-1",
    RestartCount: 0,
    State: { Running: true, Status: "running" },
    Config: { Image: "x", Labels: {}, Tty: false, Env: [] },
    HostConfig: {},
    NetworkSettings: {
      Ports: { [`${containerPort}/tcp`]: [{ HostIp: "127.0.0.1", HostPort: String(hostPort) }] },
      Networks: { p: { NetworkID: NETWORK_ID, Gateway: "127.0.0.254", IPAddress: ip } },
    },
    Mounts: [],
  } as unknown as ContainerInspect;
}

/** A fake engine on a unix socket (or not) whose container inspects as given. */
function engineWith(inspect: ContainerInspect, unix = true): FakeEngine & { inspects: number } {
  const engine = new FakeEngine() as FakeEngine & { inspects: number };
  Object.assign(engine, { endpoint: unix ? { socketPath: "/run/docker.sock" } : {} });
  engine.inspects = 0;
  engine.inspectContainer = (id: string) => {
    engine.inspects++;
    return Promise.resolve(id === inspect.Id ? inspect : undefined);
  };
  return engine;
}

describe("directAddress", () => {
  const inspect = inspectOf(6379, 16379, "172.30.0.2");
  test("the container's address when this host carries the network's bridge gateway", () => {
    assert.deepEqual(
      directAddress(inspect, "6379/tcp", { unixSocket: true, interfaces: ownsBridge }),
      {
        host: "172.30.0.2",
        port: 6379,
      },
    );
  });
  test("none over tcp/ssh, without the bridge (rootless, Desktop, remote), for udp or no address", () => {
    assert.equal(
      directAddress(inspect, 6379, { unixSocket: false, interfaces: ownsBridge }),
      undefined,
    );
    assert.equal(
      directAddress(inspect, 6379, { unixSocket: true, interfaces: noBridge }),
      undefined,
    );
    const elsewhere: Interfaces = () => ({ [BRIDGE]: [{ address: "10.9.9.9" }] });
    assert.equal(
      directAddress(inspect, 6379, { unixSocket: true, interfaces: elsewhere }),
      undefined,
    );
    assert.equal(
      directAddress(inspect, "6379/udp", { unixSocket: true, interfaces: ownsBridge }),
      undefined,
    );
    const noIp = inspectOf(6379, 16379, "");
    assert.equal(
      directAddress(noIp, 6379, { unixSocket: true, interfaces: ownsBridge }),
      undefined,
    );
  });
});

describe("TcpTarget", () => {
  test("direct: a listening container passes at once, though the proxy port would close", async () => {
    const container = await listen();
    const inspect = inspectOf(container, await proxyNothingBehind());
    const engine = engineWith(inspect);
    const target = new TcpTarget(engine, "c1", `${container}/tcp`, { interfaces: ownsBridge });
    const r = await target.probe(2000);
    assert.equal(r.ok, true, r.output);
    assert.match(r.output, /the container's own address/);
  });

  test("direct: no hold, so a server that accepts and hangs up at once is the server", async () => {
    // Behind the port proxy this pattern fails (the hold sees the close); at the container's own
    // address nothing but the service itself can accept.
    const container = await listen((s) => s.destroy());
    const engine = engineWith(inspectOf(container, await proxyNothingBehind()));
    const target = new TcpTarget(engine, "c1", container, { interfaces: ownsBridge });
    const r = await target.probe(2000);
    assert.equal(r.ok, true, r.output);
  });

  test("direct: a refusal is a failed attempt to repeat soon, and never falls back to the proxy", async () => {
    const container = await closedPort();
    const engine = engineWith(inspectOf(container, await proxyNothingBehind()));
    const target = new TcpTarget(engine, "c1", container, { interfaces: ownsBridge });
    for (let i = 0; i < 3; i++) {
      const r = await target.probe(2000);
      assert.equal(r.ok, false);
      assert.equal(r.soon, true);
      assert.match(r.output, /ECONNREFUSED \(not listening yet\)/);
    }
    assert.equal(engine.inspects, 1, "inspected once per container start, not per attempt");
  });

  test("not local (no bridge here): the published port with its hold, as before", async () => {
    const container = await listen();
    const engine = engineWith(inspectOf(container, await proxyNothingBehind()));
    const target = new TcpTarget(engine, "c1", container, { interfaces: noBridge });
    const r = await target.probe(2000);
    assert.equal(r.ok, false, "the proxy's accept-then-close is not a pass");
    assert.match(r.output, /nothing listens behind the published port yet/);
    assert.notEqual(r.soon, true);
  });

  for (
    const [what, connect] of [
      [
        "an unreachable",
        () => Promise.reject(Object.assign(new Error("x"), { code: "EHOSTUNREACH" })),
      ],
      ["a silent", () => new Promise<void>(() => {})],
    ] as const
  ) {
    test(`${what} address falls back to the published port quickly, and stays there`, async () => {
      const published = await listen(); // a real server behind the published port
      const engine = engineWith(inspectOf(6379, published));
      let directTries = 0;
      const target = new TcpTarget(engine, "c1", 6379, {
        interfaces: ownsBridge,
        directConnectMs: 50,
        connect: () => {
          directTries++;
          return connect();
        },
      });
      const t0 = performance.now();
      const r = await target.probe(2000);
      assert.equal(r.ok, true, r.output);
      assert.match(r.output, new RegExp(`connected to 127\\.0\\.0\\.1:${published}$`));
      assert.ok(performance.now() - t0 < 1000, "the fallback decision costs no seconds");
      await target.probe(2000);
      assert.equal(directTries, 1, "the direct route is not tried again in this run");
    });
  }

  test("an unpublished port fails as before, whatever the container's address would answer", async () => {
    const container = await listen();
    const inspect = inspectOf(container, 1);
    inspect.NetworkSettings.Ports = {};
    const target = new TcpTarget(engineWith(inspect), "c1", container, { interfaces: ownsBridge });
    const r = await target.probe(2000);
    assert.equal(r.ok, false);
    assert.match(r.output, /is not published/);
  });
});

describe("waitHealthy with a tcp probe on a local engine", () => {
  test("passes only once the service listens, trying often while it is refused", async () => {
    const port = await closedPort();
    const engine = engineWith(inspectOf(port, await proxyNothingBehind()));
    let server: Server | undefined;
    setTimeout(() => {
      server = createServer(() => {});
      servers.push(server);
      server.listen(port, "127.0.0.1");
    }, 300);
    const t0 = performance.now();
    await waitHealthy(
      engine,
      { name: "svc", healthcheck: { tcp: port, timeout_total: 10 } },
      "c1",
      new AbortController().signal,
      { interfaces: ownsBridge },
    );
    const took = performance.now() - t0;
    assert.ok(server?.listening, "healthy only after the service listens");
    assert.ok(took >= 290 && took < 600, `passed soon after it listened (${took.toFixed(0)} ms)`);
    assert.ok(engine.inspects <= 8, `state looked at sparingly (${engine.inspects} inspects)`);
  });
});
