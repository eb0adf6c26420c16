import { test } from "node:test";
import assert from "node:assert/strict";
import type { ContainerPlan } from "../orchestrator/container-config.ts";
import { FakeEngine } from "../../tests/helpers/fake-engine.ts";
import { FakeClock } from "../../tests/helpers/fake-clock.ts";
import { SILENT } from "../orchestrator/reporter.ts";
import type { ResolvedService, ServiceSet } from "../services/resolve.ts";
import {
  advertisedPorts,
  EngineStack,
  isolate,
  isSettled,
  publishedPorts,
} from "./docker-stack.ts";
import { freePort } from "../runtime/free-port.ts";

const PLAN: ContainerPlan = {
  name: "sentry-with-0000abcd_redis",
  body: {
    Image: "redis:7",
    Labels: { "io.sentry.sentryctl.project": "sentry-with-0000abcd" },
    HostConfig: {
      PortBindings: { "6379/tcp": [{ HostIp: "127.0.0.1", HostPort: "6379" }] },
      RestartPolicy: { Name: "unless-stopped" },
    },
  },
  volumes: [],
  configHash: "abc",
  stopGraceSeconds: 10,
  files: [],
  publishesPorts: true,
};

test("isolate: ephemeral loopback ports, no restart policy, labels untouched", () => {
  const plan = isolate(PLAN);
  assert.deepEqual(plan.body.HostConfig.PortBindings, {
    "6379/tcp": [{ HostIp: "127.0.0.1", HostPort: "" }],
  });
  assert.deepEqual(plan.body.HostConfig.RestartPolicy, { Name: "no" });
  assert.deepEqual(plan.body.Labels, { "io.sentry.sentryctl.project": "sentry-with-0000abcd" });
  assert.equal(
    PLAN.body.HostConfig.PortBindings!["6379/tcp"]![0]!.HostPort,
    "6379",
    "input untouched",
  );
});

test("publishedPorts: declared order, IPv4 binding preferred, unpublished skipped", () => {
  const ports = publishedPorts({
    NetworkSettings: {
      Ports: {
        "6379/tcp": [
          { HostIp: "::1", HostPort: "41000" },
          { HostIp: "127.0.0.1", HostPort: "41001" },
        ],
        "16379/tcp": null,
        "7000/tcp": [{ HostIp: "127.0.0.1", HostPort: "41002" }],
      },
    },
  }, ["7000/tcp", "6379/tcp", "16379/tcp", "9999/tcp"]);
  assert.deepEqual(ports, [
    { containerPort: "7000/tcp", hostIp: "127.0.0.1", hostPort: 41002 },
    { containerPort: "6379/tcp", hostIp: "127.0.0.1", hostPort: 41001 },
  ]);
});

function catalog(project: string): ServiceSet {
  const redis: ResolvedService = {
    name: "redis",
    containerName: `${project}_redis`,
    enabled: true,
    spec: {
      image: "redis:7",
      ports: { "6379/tcp": 6379 },
      volumes: { redis: { bind: "/data" } },
      healthcheck: { exec: ["redis-cli", "ping"], interval: 1, timeout_total: 5 },
    },
  };
  const app: ResolvedService = {
    name: "app",
    containerName: `${project}_app`,
    enabled: true,
    spec: {
      image: "redis:7",
      ports: { "8000/tcp": 8000, "8001/tcp": 8001 },
      depends_on: ["redis"],
    },
  };
  return new Map([["redis", redis], ["app", app]]);
}

function fakeEngine(): FakeEngine {
  const engine = new FakeEngine();
  engine.images.set("redis:7", { Id: "sha256:r", RepoTags: ["redis:7"] });
  return engine;
}

test("EngineStack isolated: dependencies come along, ephemeral ports read back, labels, teardown", async () => {
  const engine = fakeEngine();
  const project = "sentry-with-0000abcd";
  const stack = new EngineStack(engine, catalog(project), SILENT);
  const endpoints = await stack.up({
    project,
    services: ["app"],
    isolated: true,
    session: "host=h;boot=b;pid=1;start=2",
    timeoutSeconds: 10,
    signal: new AbortController().signal,
  });
  assert.deepEqual(endpoints.map((e) => e.service), ["redis", "app"]);
  for (const e of endpoints) {
    for (const p of e.ports) {
      assert.equal(p.hostIp, "127.0.0.1");
      assert.ok(p.hostPort >= 32768, `ephemeral port, got ${p.hostPort}`);
    }
  }
  assert.deepEqual(endpoints[1]!.ports.map((p) => p.containerPort), ["8000/tcp", "8001/tcp"]);
  const redis = (await engine.inspectContainer(`${project}_redis`))!;
  assert.equal(redis.Config.Labels!["io.sentry.sentryctl.owner"], "with");
  assert.equal(redis.Config.Labels!["io.sentry.sentryctl.session"], "host=h;boot=b;pid=1;start=2");
  assert.equal(redis.HostConfig.RestartPolicy?.Name, "no");
  assert.deepEqual(engine.execs, [["redis-cli", "ping"]]);

  await stack.teardown(project);
  assert.equal(await engine.inspectContainer(`${project}_redis`), undefined);
  assert.equal(await engine.inspectContainer(`${project}_app`), undefined);
  assert.deepEqual(await engine.listVolumes([`io.sentry.sentryctl.project=${project}`]), []);
  assert.equal(await engine.inspectNetwork(project), undefined);
});

test("EngineStack --reuse: a running container is reused and probed at once; fixed ports", async () => {
  const engine = fakeEngine();
  const services = catalog("sentry");
  // A fake clock records every pause, so "probed at once" is asserted exactly, not by wall time.
  const clock = new FakeClock();
  const stack = new EngineStack(engine, services, SILENT, clock);
  const request = {
    project: "sentry",
    services: ["redis"],
    isolated: false,
    timeoutSeconds: 10,
    signal: new AbortController().signal,
  };
  await stack.up(request);
  const created = engine.calls.filter((c) => c.startsWith("create ")).length;
  const pauses = clock.sleeps.length;
  const endpoints = await stack.up(request);
  assert.deepEqual(
    clock.sleeps.slice(pauses).filter((ms) => ms > 0),
    [],
    "no first pause before the probe of a reused container",
  );
  assert.equal(engine.calls.filter((c) => c.startsWith("create ")).length, created, "reused");
  assert.deepEqual(endpoints, [{
    service: "redis",
    ports: [{ containerPort: "6379/tcp", hostIp: "127.0.0.1", hostPort: 6379 }],
  }]);
  const redis = (await engine.inspectContainer("sentry_redis"))!;
  assert.equal(redis.Config.Labels!["io.sentry.sentryctl.session"], undefined);
});

const KAFKA: ContainerPlan = {
  ...PLAN,
  name: "sentry-with-0000abcd_kafka",
  body: {
    Image: "kafka",
    Env: [
      "KAFKA_ADVERTISED_LISTENERS=PLAINTEXT://127.0.0.1:29092,EXTERNAL://127.0.0.1:9092",
      "KAFKA_LISTENERS=EXTERNAL://0.0.0.0:9092",
      "OTHER=localhost:90921",
    ],
    HostConfig: {
      PortBindings: {
        "9092/tcp": [{ HostIp: "127.0.0.1", HostPort: "9092" }],
        "9644/tcp": [{ HostIp: "127.0.0.1", HostPort: "9644" }],
      },
    },
  },
};

test("advertisedPorts: only published ports the environment names on loopback", () => {
  assert.deepEqual(advertisedPorts(KAFKA), ["9092/tcp"]);
  assert.deepEqual(advertisedPorts(PLAN), []);
});

test("isolate with a pinned port: that port is fixed and the advertised address follows it", () => {
  const plan = isolate(KAFKA, new Map([["9092/tcp", 45678]]));
  assert.deepEqual(plan.body.HostConfig.PortBindings, {
    "9092/tcp": [{ HostIp: "127.0.0.1", HostPort: "45678" }],
    "9644/tcp": [{ HostIp: "127.0.0.1", HostPort: "" }],
  });
  assert.deepEqual(plan.body.Env, [
    "KAFKA_ADVERTISED_LISTENERS=PLAINTEXT://127.0.0.1:29092,EXTERNAL://127.0.0.1:45678",
    "KAFKA_LISTENERS=EXTERNAL://0.0.0.0:9092",
    "OTHER=localhost:90921",
  ]);
});

test("freePort: a loopback port nobody listens on", async () => {
  const a = await freePort();
  assert.ok(a > 1024 && a < 65536);
  const { createServer } = await import("node:net");
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(a, "127.0.0.1", resolve));
  server.close();
});

test("--reuse fast path: a settled container whose port answers costs no probe; else up runs", async () => {
  const { createServer } = await import("node:net");
  // Like redis, the server keeps a connection open (one closed at once is a port proxy with
  // nothing behind it, and does not count as answering).
  const server = createServer(() => {});
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  try {
    const engine = fakeEngine();
    const services = catalog("sentry");
    const redis = services.get("redis")!;
    services.set("redis", { ...redis, spec: { ...redis.spec, ports: { "6379/tcp": port } } });
    const stack = new EngineStack(engine, services, SILENT);
    const request = {
      project: "sentry",
      services: ["redis"],
      isolated: false,
      timeoutSeconds: 10,
      signal: new AbortController().signal,
    };
    await stack.up(request);
    assert.equal(engine.execs.length, 1, "created: probed");
    await stack.up(request);
    assert.equal(engine.execs.length, 2, "just started, not settled yet: probed again");

    const c = engine.containers.get((await engine.inspectContainer("sentry_redis"))!.Id)!;
    c.inspect.State.StartedAt = new Date(Date.now() - 60_000).toISOString();
    const endpoints = await stack.up(request);
    assert.equal(engine.execs.length, 2, "settled and answering: no probe");
    assert.deepEqual(endpoints[0]!.ports, [
      { containerPort: "6379/tcp", hostIp: "127.0.0.1", hostPort: port },
    ]);

    server.close();
    await new Promise((r) => setTimeout(r, 20));
    await stack.up(request);
    assert.equal(engine.execs.length, 3, "port closed: back to up and its probe");
  } finally {
    server.close();
  }
});

test("isSettled: running, ours, same hash, up long enough", () => {
  const base = {
    State: { Running: true, Restarting: false, StartedAt: "2026-01-01T00:00:00Z" },
    Config: {
      Labels: { "io.sentry.sentryctl.project": "sentry", "io.sentry.sentryctl.config-hash": "abc" },
    },
  } as unknown as Parameters<typeof isSettled>[0];
  const at = Date.parse("2026-01-01T00:00:30Z");
  assert.equal(isSettled(base, PLAN, "sentry", at), true);
  assert.equal(isSettled(base, PLAN, "sentry", at - 1), false, "29.999 s is too fresh");
  assert.equal(isSettled(base, PLAN, "other", at), false);
  assert.equal(isSettled(base, { ...PLAN, configHash: "drifted" }, "sentry", at), false);
  const stopped = { ...base, State: { ...base.State, Running: false } } as typeof base;
  assert.equal(isSettled(stopped, PLAN, "sentry", at), false);
});
