import { test } from "node:test";
import assert from "node:assert/strict";
import { FakeEngine } from "../../tests/helpers/fake-engine.ts";
import type { ResolvedService } from "../services/resolve.ts";
import { planContainer } from "./container-config.ts";
import { observe } from "./observe.ts";
import { catalogLayout } from "./stack-model.ts";
import {
  type DesiredService,
  isNoop,
  planRemoval,
  planUp,
  renderPlan,
  type UpOptions,
} from "./plan.ts";

function svc(
  name: string,
  spec: Partial<ResolvedService["spec"]> = {},
  files?: ResolvedService["files"],
): ResolvedService {
  return {
    name,
    containerName: `p1_${name}`,
    enabled: true,
    spec: { image: `img/${name}:1`, ...spec },
    files,
  };
}

function desired(
  services: ResolvedService[],
  after: Record<string, string[]> = {},
): DesiredService[] {
  return services.map((s) => ({
    name: s.name,
    container: planContainer(s, { project: "p1", foreground: false, owner: "up" }),
    after: after[s.name] ?? [],
    healthcheck: s.spec.healthcheck,
  }));
}

const UP: UpOptions = { owner: "up", recreate: false, pull: "missing", wait: true };

async function planText(engine: FakeEngine, d: DesiredService[], opts: UpOptions = UP) {
  const stack = catalogLayout("p1", d);
  const observed = await observe(engine, stack);
  return renderPlan(planUp(observed, stack, opts));
}

function withImages(engine: FakeEngine, ...names: string[]) {
  for (const n of names) engine.images.set(`img/${n}:1`, { Id: `sha256:${n}`, RepoTags: [] });
}

test("from nothing: network, volumes, pulls of missing images, create, copy files, start, wait", async () => {
  const engine = new FakeEngine();
  withImages(engine, "redis");
  const d = desired([
    svc("redis", {
      ports: { "6379/tcp": 16379 },
      volumes: { redis: { bind: "/data" } },
      healthcheck: { exec: ["redis-cli", "ping"] },
    }),
    svc("relay", {}, [{ path: "/etc/relay/config.yml", content: "a: 1\n" }]),
    svc("web", { healthcheck: { http: "http://127.0.0.1:8000/" } }),
  ], { web: ["redis", "relay"] });
  assert.equal(
    await planText(engine, d),
    [
      "create network p1",
      "create volume p1_redis",
      "redis: create p1_redis",
      "redis: start p1_redis (publishes ports)",
      "redis: wait until healthy: exec redis-cli ping",
      "relay: pull img/relay:1",
      "relay: create p1_relay",
      "relay: copy /etc/relay/config.yml into p1_relay",
      "relay: start p1_relay",
      "web (after redis, relay): pull img/web:1",
      "web (after redis, relay): create p1_web",
      "web (after redis, relay): start p1_web",
      "web (after redis, relay): wait until healthy: http http://127.0.0.1:8000/",
      "",
    ].join("\n"),
  );
});

test("a running container with the same config hash is reused; nothing else happens", async () => {
  const engine = new FakeEngine();
  withImages(engine, "redis");
  const d = desired([svc("redis", { healthcheck: { tcp: "6379/tcp" } })]);
  engine.networks.set("p1", { Id: "n", Name: "p1", Labels: {} });
  const id = await engine.createContainer("p1_redis", d[0]!.container.body);
  await engine.startContainer(id);
  const stack = catalogLayout("p1", d);
  const observed = await observe(engine, stack);
  const plan = planUp(observed, stack, UP);
  assert.equal(
    renderPlan(plan),
    `redis: reuse running p1_redis (${id.slice(0, 12)})\nredis: wait until healthy: tcp 6379/tcp\n`,
  );
  assert.equal(isNoop(plan), true);
});

test("drift (changed environment), a stopped container and --recreate each replace it", async () => {
  const engine = new FakeEngine();
  withImages(engine, "redis");
  engine.networks.set("p1", { Id: "n", Name: "p1", Labels: {} });
  const old = desired([svc("redis", { environment: { A: "1" } })]);
  const id = await engine.createContainer("p1_redis", old[0]!.container.body);
  await engine.startContainer(id);
  const short = id.slice(0, 12);
  const changed = desired([svc("redis", { environment: { A: "2" } })]);
  assert.equal(
    await planText(engine, changed),
    `redis: stop p1_redis (${short}, grace 10s)\nredis: remove p1_redis (${short})\nredis: create p1_redis\nredis: start p1_redis\n`,
  );
  assert.equal(
    await planText(engine, old, { ...UP, recreate: true }),
    `redis: stop p1_redis (${short}, grace 10s)\nredis: remove p1_redis (${short})\nredis: create p1_redis\nredis: start p1_redis\n`,
  );
  await engine.stopContainer(id);
  assert.equal(
    await planText(engine, old),
    `redis: remove p1_redis (${short})\nredis: create p1_redis\nredis: start p1_redis\n`,
  );
});

test("a container holding our name without our project label is refused, never touched", async () => {
  const engine = new FakeEngine();
  withImages(engine, "redis");
  const foreign = engine.addContainer("p1_redis", { running: true });
  const other = engine.addContainer("p1_kafka", {
    labels: { "io.sentry.sentryctl.project": "elsewhere" },
  });
  const d = desired([svc("redis"), svc("kafka")]);
  const stack = catalogLayout("p1", d);
  const observed = await observe(engine, stack);
  const plan = planUp(observed, stack, UP);
  assert.equal(plan.problems.length, 2);
  assert.equal(
    plan.problems[0]!.message,
    `Container 'p1_redis' (${
      foreign.inspect.Id.slice(0, 12)
    }) holds the name of service redis but has no io.sentry.sentryctl.project label; sentryctl will not stop, remove or replace it`,
  );
  assert.equal(
    plan.problems[0]!.hint,
    "remove it with 'docker rm -f p1_redis', or use another --project than 'p1'",
  );
  assert.match(plan.problems[1]!.message, /belongs to project 'elsewhere'/);
  assert.equal(other.inspect.State.Running, false);
  assert.deepEqual(plan.services.map((s) => s.ops.length), [0, 0]);
});

test("up leaves a running container that attach created, unless --recreate", async () => {
  const engine = new FakeEngine();
  withImages(engine, "redis");
  engine.networks.set("p1", { Id: "n", Name: "p1", Labels: {} });
  const s = svc("redis");
  const attached = planContainer(s, { project: "p1", foreground: true, owner: "attach" });
  const id = await engine.createContainer("p1_redis", attached.body);
  await engine.startContainer(id);
  const d = desired([s]);
  assert.equal(
    await planText(engine, d),
    `redis: leave p1_redis (${id.slice(0, 12)}): attached elsewhere\n`,
  );
  assert.match(await planText(engine, d, { ...UP, recreate: true }), /redis: stop p1_redis/);
  // attach itself reuses it
  assert.match(await planText(engine, d, { ...UP, owner: "attach" }), /reuse running p1_redis/);
});

test("--pull always pulls for every service (execute pulls each image once); --pull never with a missing image is a problem (exit 5)", async () => {
  const engine = new FakeEngine();
  const d = desired([svc("a", { image: "shared:1" }), svc("b", { image: "shared:1" })]);
  const text = await planText(engine, d, { ...UP, pull: "always" });
  assert.equal(
    text.split("\n").filter((l) => l.includes("pull")).join("\n"),
    "a: pull shared:1\nb: pull shared:1",
  );
  const stack = catalogLayout("p1", d);
  const observed = await observe(engine, stack);
  const plan = planUp(observed, stack, { ...UP, pull: "never" });
  assert.equal(plan.problems[0]!.category, "docker_api");
  assert.equal(
    plan.problems[0]!.message,
    "Image 'shared:1' of service a is not present and --pull never was given",
  );
});

test("unlabelled legacy volumes are reused, not created", async () => {
  const engine = new FakeEngine();
  withImages(engine, "pg");
  engine.networks.set("p1", { Id: "n", Name: "p1", Labels: null });
  engine.volumes.set("p1_pg", { Name: "p1_pg", Labels: null });
  const d = desired([svc("pg", { volumes: { pg: { bind: "/var/lib/postgresql" } } })]);
  assert.equal(await planText(engine, d), "pg: create p1_pg\npg: start p1_pg\n");
});

test("down stops and removes only labelled containers; rm adds volumes, keeps legacy ones unless --legacy", async () => {
  const engine = new FakeEngine();
  withImages(engine, "redis", "pg");
  engine.networks.set("p1", {
    Id: "n",
    Name: "p1",
    Labels: { "io.sentry.sentryctl.project": "p1" },
  });
  const d = desired([svc("redis"), svc("pg")]);
  for (const x of d) {
    const id = await engine.createContainer(x.container.name, x.container.body);
    if (x.name === "redis") await engine.startContainer(id);
  }
  engine.addContainer("p1_foreign", { running: true });
  const stack = catalogLayout("p1", []);
  const observed = await observe(engine, stack);
  const down = planRemoval(observed, stack, [], [], {
    services: [],
    volumes: false,
    legacy: false,
  });
  const ids = Object.fromEntries(
    observed.listed.map((c) => [c.Names[0]!.slice(1), c.Id.slice(0, 12)]),
  );
  assert.equal(
    renderPlan(down),
    `pg: remove p1_pg (${ids.p1_pg})\nredis: stop p1_redis (${ids.p1_redis})\nredis: remove p1_redis (${ids.p1_redis})\n`,
  );
  const rm = planRemoval(observed, stack, [{ name: "p1_redis" }], ["p1_legacy"], {
    services: [],
    volumes: true,
    legacy: false,
  });
  assert.deepEqual(rm.keptLegacy, ["p1_legacy"]);
  assert.match(renderPlan(rm), /remove volume p1_redis\nremove network p1\n$/);
  const rmOne = planRemoval(observed, stack, [{ name: "p1_redis" }, { name: "p1_pg" }], [
    "p1_legacy",
  ], {
    services: ["redis"],
    volumes: true,
    legacy: true,
    volumesOf: new Map([["redis", ["p1_redis", "p1_legacy"]]]),
  });
  assert.equal(
    renderPlan(rmOne),
    `redis: stop p1_redis (${ids.p1_redis})\nredis: remove p1_redis (${ids.p1_redis})\nremove volume p1_redis\nremove volume p1_legacy (unlabelled, --legacy)\n`,
  );
});

test("a created-but-not-started container with our definition is started, not replaced", async () => {
  const engine = new FakeEngine();
  withImages(engine, "redis");
  engine.networks.set("p1", { Id: "n", Name: "p1", Labels: {} });
  const d = desired([svc("redis")]);
  const id = await engine.createContainer("p1_redis", d[0]!.container.body);
  assert.equal(
    await planText(engine, d, { ...UP, wait: false }),
    `redis: start existing p1_redis (${id.slice(0, 12)})\n`,
  );
});
