// The Engine-backed services source against the in-memory FakeEngine: the cache is filled
// once, then kept current from events (stops, starts, removals by someone else), PUT goes
// through the engine, and stats samples are turned into CPU/memory points.

import assert from "node:assert/strict";
import { test } from "node:test";
import { FakeEngine } from "../../tests/helpers/fake-engine.ts";
import type { ServiceSet } from "../services/resolve.ts";
import { projectFileScope } from "../orchestrator/scope.ts";
import { DockerServices } from "./docker-source.ts";

const PROJECT = "status-unit";
const labels = (service: string) => ({
  "io.sentry.sentryctl.project": PROJECT,
  "io.sentry.sentryctl.service": service,
});

function source(engine: FakeEngine, names: string[]) {
  return new DockerServices(engine, {
    project: PROJECT,
    serviceNames: names,
    containerName: (n) => `${PROJECT}_${n}`,
    stopGraceSeconds: 1,
  });
}

async function until(what: string, fn: () => boolean): Promise<void> {
  const deadline = Date.now() + 2000;
  while (!fn()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

test("the cache follows events: stop, start and removal by someone else", async () => {
  const engine = new FakeEngine();
  engine.addContainer(`${PROJECT}_redis`, { labels: labels("redis"), running: true });
  engine.addContainer("other_x", { labels: { "io.sentry.sentryctl.project": "other" } });
  const src = source(engine, ["redis", "kafka"]);
  await src.start();
  try {
    assert.deepEqual(src.list().map((s) => [s.service, s.state]), [["kafka", "missing"], [
      "redis",
      "running",
    ]]);
    let changes = 0;
    src.subscribe(() => changes++);
    await engine.stopContainer(`${PROJECT}_redis`, 1);
    await until("redis exited", () => src.list()[1]!.state === "exited");
    await engine.startContainer(`${PROJECT}_redis`);
    await until("redis running", () => src.list()[1]!.state === "running");
    await engine.removeContainer(`${PROJECT}_redis`, { force: true });
    await until("redis missing", () => src.list()[1]!.state === "missing");
    assert.ok(changes >= 3);
  } finally {
    src.close();
  }
});

test("setState goes through the engine; a service without a container cannot start", async () => {
  const engine = new FakeEngine();
  engine.addContainer(`${PROJECT}_redis`, { labels: labels("redis"), running: true });
  const src = source(engine, ["redis", "kafka"]);
  await src.start();
  try {
    assert.equal((await src.setState("redis", "stopped")).state, "exited");
    assert.equal((await src.setState("redis", "running")).state, "running");
    assert.equal((await src.setState("kafka", "stopped")).state, "missing");
    await assert.rejects(src.setState("kafka", "running"), /Service `kafka` has no container/);
    await assert.rejects(src.setState("nope", "running"), /Service `nope` is not known/);
  } finally {
    src.close();
  }
});

test("list() answers from memory: 10 services, no engine call per request", async () => {
  const engine = new FakeEngine();
  const names = Array.from({ length: 10 }, (_, i) => `s${i}`);
  for (const n of names) {
    engine.addContainer(`${PROJECT}_${n}`, { labels: labels(n), running: true });
  }
  const src = source(engine, names);
  await src.start();
  try {
    const calls = engine.calls.length;
    const t0 = performance.now();
    for (let i = 0; i < 1000; i++) assert.equal(src.list().length, 10);
    const per = (performance.now() - t0) / 1000;
    assert.equal(engine.calls.length, calls);
    assert.ok(per < 1, `${per} ms per list()`);
  } finally {
    src.close();
  }
});

test("stats are sampled while asked, and stop with the signal", async () => {
  const engine = new FakeEngine();
  engine.addContainer(`${PROJECT}_redis`, { labels: labels("redis"), running: true });
  const src = source(engine, ["redis"]);
  await src.start();
  try {
    const controller = new AbortController();
    const got = [];
    for await (const s of src.stats("redis", controller.signal)) {
      got.push(s);
      controller.abort();
    }
    assert.equal(got.length, 1);
    assert.equal(got[0]!.memory_bytes, 1024 * 1024);
  } finally {
    src.close();
  }
});

test("PUT running creates a missing service's container the way `up` does", async () => {
  const engine = new FakeEngine();
  engine.images.set("img:1", { Id: "sha256:img", RepoTags: ["img:1"] });
  const services: ServiceSet = new Map([[
    "kafka",
    { name: "kafka", containerName: `${PROJECT}_kafka`, spec: { image: "img:1" }, enabled: true },
  ]]);
  const src = new DockerServices(engine, {
    project: PROJECT,
    serviceNames: ["kafka"],
    serviceImages: { kafka: "img:1" },
    services,
    containerName: (n) => `${PROJECT}_${n}`,
  });
  await src.start();
  try {
    assert.deepEqual(src.list().map((s) => [s.service, s.state, s.image]), [[
      "kafka",
      "missing",
      "img:1",
    ]]);
    const after = await src.setState("kafka", "running");
    assert.equal(after.state, "running");
    assert.equal(after.container, `${PROJECT}_kafka`);
    assert.ok(engine.calls.includes(`create ${PROJECT}_kafka`), engine.calls.join(", "));
  } finally {
    src.close();
  }
});

test("a project file's scope: the container docker compose made is the service's; others never", async () => {
  const compose = (project: string, service: string, oneoff = "False") => ({
    "com.docker.compose.project": project,
    "com.docker.compose.service": service,
    "com.docker.compose.container-number": "1",
    "com.docker.compose.oneoff": oneoff,
  });
  const engine = new FakeEngine();
  // docker-compose 1.29's name and labels only (no sentryctl label).
  engine.addContainer(`${PROJECT}_web_1`, { labels: compose(PROJECT, "web"), running: true });
  engine.log(`${PROJECT}_web_1`, "compose-made line");
  engine.addContainer("other_web_1", { labels: compose("other", "web"), running: true });
  const src = new DockerServices(engine, {
    project: PROJECT,
    scope: projectFileScope(PROJECT),
    serviceNames: ["web", "db"],
    containerName: (n) => `${PROJECT}-${n}-1`,
    stopGraceSeconds: 1,
  });
  await src.start();
  try {
    assert.deepEqual(src.list().map((s) => [s.service, s.state, s.container]), [
      ["db", "missing", `${PROJECT}-db-1`],
      ["web", "running", `${PROJECT}_web_1`],
    ]);
    const lines: string[] = [];
    const stop = new AbortController();
    for await (const line of src.logs("web", stop.signal, "all")) {
      if (line.kind !== "line") continue;
      lines.push(line.text);
      stop.abort();
    }
    assert.deepEqual(lines, ["compose-made line"]);
    // Its events keep the cache current; a one-off of the service coming and going does not.
    await engine.stopContainer(`${PROJECT}_web_1`, 1);
    await until("web exited", () => src.list()[1]!.state === "exited");
    const run = engine.addContainer(`${PROJECT}_web_run_1`, {
      labels: compose(PROJECT, "web", "True"),
    });
    await engine.startContainer(run.inspect.Id);
    await engine.removeContainer(run.inspect.Id, { force: true });
    await engine.stopContainer("other_web_1", 1);
    await src.setState("web", "running");
    assert.equal(src.list()[1]!.state, "running");
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(src.list().map((s) => [s.service, s.state, s.container]), [
      ["db", "missing", `${PROJECT}-db-1`],
      ["web", "running", `${PROJECT}_web_1`],
    ]);
  } finally {
    src.close();
  }
});
