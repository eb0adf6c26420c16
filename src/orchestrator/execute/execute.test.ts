import { test } from "node:test";
import assert from "node:assert/strict";
import { engineError, FakeEngine } from "../../../tests/helpers/fake-engine.ts";
import { FakeClock } from "../../../tests/helpers/fake-clock.ts";
import { SentryctlError } from "../../errors.ts";
import type { ResolvedService } from "../../services/resolve.ts";
import { planContainer } from "../container-config.ts";
import { execute } from "./index.ts";
import { observe } from "../observe.ts";
import { catalogLayout } from "../stack-model.ts";
import { type DesiredService, planUp, type UpOptions } from "../plan.ts";
import { type Phase, SILENT } from "../reporter.ts";
import { checkedByDocker, waitHealthy } from "../wait/wait.ts";

function svc(
  name: string,
  spec: Partial<ResolvedService["spec"]> = {},
  files?: ResolvedService["files"],
): DesiredService {
  const resolved: ResolvedService = {
    name,
    containerName: `p2_${name}`,
    enabled: true,
    spec: { image: "img:1", ...spec },
    files,
  };
  return {
    name,
    container: planContainer(resolved, { project: "p2", foreground: false, owner: "up" }),
    after: spec.depends_on ?? [],
    healthcheck: spec.healthcheck,
  };
}

const UP: UpOptions = { owner: "up", recreate: false, pull: "missing", wait: true };

async function up(
  engine: FakeEngine,
  services: DesiredService[],
  opts: Partial<UpOptions> = {},
  extra: { signal?: AbortSignal; phases?: string[]; clock?: FakeClock } = {},
) {
  const stack = catalogLayout("p2", services);
  const observed = await observe(engine, stack);
  const plan = planUp(observed, stack, { ...UP, ...opts });
  const clock = new FakeClock();
  return await execute(plan, {
    engine,
    reporter: {
      ...SILENT,
      phase: (s: string, p: Phase) => extra.phases?.push(`${s} ${p}`),
    },
    signal: extra.signal,
    waitHealthy: (d, id, signal) => waitHealthy(engine, d, id, signal, { clock }),
    clock: extra.clock ?? new FakeClock(),
  });
}

function engineWithImage(): FakeEngine {
  const engine = new FakeEngine();
  engine.images.set("img:1", { Id: "sha256:img", RepoTags: ["img:1"] });
  return engine;
}

test("dependencies start first; a dependent is created (files copied in) before its dependency is healthy, started only after", async () => {
  const engine = engineWithImage();
  // The probe passes at its third attempt; the calls made by then are noted.
  let attempts = 0;
  let healthyAt = -1;
  engine.execResult = () => {
    if (++attempts < 3) return 1;
    healthyAt = engine.calls.length;
    return 0;
  };
  const result = await up(engine, [
    svc("db", { healthcheck: { exec: ["ready"] } }),
    svc("app", { depends_on: ["db"] }, [{
      path: "/etc/app/app.yml",
      content: "x: 1\n",
      mode: 0o600,
    }]),
  ]);
  const at = (call: string) => engine.calls.indexOf(call);
  assert.deepEqual([...engine.calls].sort(), [
    "create p2_app",
    "create p2_db",
    "create-network p2",
    "put-archive p2_app",
    "start p2_app",
    "start p2_db",
  ]);
  assert.equal(at("create-network p2"), 0);
  assert.ok(at("put-archive p2_app") > at("create p2_app"));
  assert.ok(at("put-archive p2_app") < healthyAt, "prepared while db was not yet healthy");
  assert.ok(at("start p2_app") >= healthyAt, "started only once db's probe passed");
  assert.ok(at("start p2_app") > at("start p2_db"));
  assert.equal(attempts, 3);
  const app = engine.byName("p2_app")!;
  assert.equal(new TextDecoder().decode(app.files.get("/etc/app/app.yml")), "x: 1\n");
  assert.equal(result.outcomes.get("app")!.outcome, "created");
  assert.equal(app.inspect.Config.Labels!["io.sentry.sentryctl.owner"], "up");
});

test("a second run reuses everything and changes nothing", async () => {
  const engine = engineWithImage();
  const services = [svc("db"), svc("app", { depends_on: ["db"] })];
  const first = await up(engine, services);
  const calls = engine.calls.length;
  const second = await up(engine, services);
  assert.equal(engine.calls.length, calls);
  assert.equal(second.outcomes.get("app")!.id, first.outcomes.get("app")!.id);
  assert.equal(second.outcomes.get("app")!.outcome, "reused");
});

test("a probe that never passes: exit 6 naming the service, with probe output and log tail; dependents skipped", async () => {
  const engine = engineWithImage();
  engine.execResult = () => ({ code: 1, output: "connection refused\n" });
  const phases: string[] = [];
  const services = [
    svc("db", { healthcheck: { exec: ["ready"], timeout_total: 3 } }),
    svc("app", { depends_on: ["db"] }),
    svc("other"),
  ];
  // The fake logs what the container printed.
  const origStart = engine.startContainer.bind(engine);
  engine.startContainer = async (id: string) => {
    await origStart(id);
    engine.log(id, "db: listening soon");
  };
  const err = await up(engine, services, {}, { phases }).catch((e) => e);
  assert.ok(err instanceof SentryctlError);
  assert.equal(err.category, "unhealthy");
  assert.equal(err.exitCode, 6);
  assert.equal(err.message, "db did not become healthy within 3s");
  assert.match(
    err.details!,
    /^probe: exec ready \(\d+ attempts\)\nlast probe result: exit 1: connection refused\nlast log lines of db:\n {2}db: listening soon$/,
  );
  // app was created ahead of db's health, never started, and removed again.
  assert.ok(engine.calls.includes("create p2_app"));
  assert.ok(!engine.calls.includes("start p2_app"));
  assert.ok(engine.calls.includes("remove p2_app"));
  assert.equal(engine.byName("p2_app"), undefined);
  assert.ok(phases.includes("app skipped"));
  assert.ok(phases.includes("other running"));
});

/** Makes the engine refuse to create `name` (a full disk), creating every other container. */
function failCreate(engine: ReturnType<typeof engineWithImage>, name: string): void {
  const create = engine.createContainer.bind(engine);
  engine.createContainer = (n, body) =>
    n === name
      ? Promise.reject(engineError("server", "no space left on device", 500))
      : create(n, body);
}

test("a dependent's create that fails while its dependency fails too: skipped, the dependency's error", async () => {
  const engine = engineWithImage();
  engine.execResult = () => 1;
  failCreate(engine, "p2_app");
  const phases: string[] = [];
  const err = await up(
    engine,
    [
      svc("db", { healthcheck: { exec: ["ready"], timeout_total: 2 } }),
      svc("app", { depends_on: ["db"] }),
    ],
    {},
    { phases },
  ).catch((e) => e);
  assert.ok(err instanceof SentryctlError);
  assert.equal(err.exitCode, 6, "db's unhealthy decides, as when app was not tried yet");
  assert.ok(phases.includes("app skipped"), phases.join(", "));
  assert.ok(!phases.includes("app failed"));
});

test("a dependent's create that fails while its dependency comes up: it fails (exit 5) once the dependency is up", async () => {
  const engine = engineWithImage();
  failCreate(engine, "p2_app");
  const phases: string[] = [];
  const err = await up(
    engine,
    [
      svc("db", { healthcheck: { exec: ["ready"] } }),
      svc("app", { depends_on: ["db"] }),
    ],
    {},
    { phases },
  ).catch((e) => e);
  assert.ok(err instanceof SentryctlError);
  assert.equal(err.exitCode, 5, err.message);
  assert.ok(phases.indexOf("db healthy") < phases.indexOf("app failed"), phases.join(", "));
});

test("a dependent that must be recreated is left as it was while its dependency fails", async () => {
  const engine = engineWithImage();
  await up(engine, [
    svc("db", { healthcheck: { exec: ["ready"] } }),
    svc("app", { depends_on: ["db"] }),
  ]);
  const before = engine.byName("p2_app")!.inspect.Id;
  engine.calls.length = 0;
  engine.execResult = () => 1;
  const err = await up(engine, [
    svc("db", { healthcheck: { exec: ["ready"], timeout_total: 2 }, environment: { X: "1" } }),
    svc("app", { depends_on: ["db"], environment: { Y: "2" } }),
  ], {}).catch((e) => e);
  assert.ok(err instanceof SentryctlError && err.exitCode === 6, String(err));
  assert.equal(engine.byName("p2_app")?.inspect.Id, before, "the old app container is kept");
  assert.ok(!engine.calls.some((c) => c.endsWith(" p2_app")), engine.calls.join(", "));
});

test("an exec probe goes at once, then polls fast: 100, 200, 400, 800 ms, then once a second", async () => {
  const engine = engineWithImage();
  let n = 0;
  engine.execResult = () => (++n >= 7 ? 0 : 1);
  const clock = new FakeClock();
  const d = svc("db", { healthcheck: { exec: ["ready"], interval: 5 } });
  const id = await engine.createContainer("p2_db", d.container.body);
  await engine.startContainer(id);
  await waitHealthy(engine, d, id, new AbortController().signal, { clock });
  assert.equal(clock.sleeps[0], 0, "the first exec is sent as the wait begins");
  assert.deepEqual(clock.sleeps.filter((ms) => ms >= 50), [100, 200, 400, 800, 1000, 1000]);
  assert.equal(n, 7);
});

test("an http probe of this host goes at once, then every 10 ms while refused", async () => {
  const engine = engineWithImage();
  const clock = new FakeClock();
  // Port 9 on loopback (discard): nothing listens here, every attempt is refused at once.
  const d = svc("web", { healthcheck: { http: "http://127.0.0.1:9/", timeout_total: 1 } });
  const id = await engine.createContainer("p2_web", d.container.body);
  await engine.startContainer(id);
  const err = await waitHealthy(engine, d, id, new AbortController().signal, { clock })
    .catch((e) => e);
  assert.ok(err instanceof SentryctlError && err.category === "unhealthy", String(err));
  assert.deepEqual(clock.sleeps.slice(0, 4), [0, 10, 10, 10]);
});

test("a tcp probe through a remote engine gives the service 50 ms first, then backs off", async () => {
  const engine = engineWithImage(); // not on a unix socket: no direct route, the port proxy's hold
  const clock = new FakeClock();
  const d = svc("kv", { healthcheck: { tcp: 6379, timeout_total: 1 } });
  const id = await engine.createContainer("p2_kv", d.container.body);
  await engine.startContainer(id);
  const err = await waitHealthy(engine, d, id, new AbortController().signal, { clock })
    .catch((e) => e);
  assert.ok(err instanceof SentryctlError && err.category === "unhealthy", String(err));
  assert.deepEqual(clock.sleeps.slice(0, 3), [50, 100, 200]);
});

test("a running container Docker checked with the same exec probe just now is not probed again", async () => {
  const engine = engineWithImage();
  const d = svc("db", { healthcheck: { exec: ["ready"], interval: 5 } });
  const id = await engine.createContainer("p2_db", d.container.body);
  await engine.startContainer(id);
  const state = engine.containers.get(id)!.inspect.State;
  const checked = (status: string, exit: number, agoMs: number, streak = 0) => {
    state.Health = {
      Status: status,
      FailingStreak: streak,
      Log: [{
        Start: "",
        End: new Date(Date.now() - agoMs).toISOString(),
        ExitCode: exit,
        Output: "",
      }],
    };
  };
  const spec = d.healthcheck!;
  checked("healthy", 0, 2000);
  assert.equal(await checkedByDocker(engine, id, spec), true);
  await waitHealthy(engine, d, id, new AbortController().signal, {
    clock: new FakeClock(),
    alreadyRunning: true,
  });
  assert.deepEqual(engine.execs, [], "no exec: Docker's check of 2 s ago stands");
  checked("healthy", 0, 9000);
  assert.equal(await checkedByDocker(engine, id, spec), false, "older than the interval");
  checked("healthy", 1, 1000, 1);
  assert.equal(await checkedByDocker(engine, id, spec), false, "the last check failed");
  checked("starting", 0, 1000);
  assert.equal(await checkedByDocker(engine, id, spec), false);
  checked("healthy", 0, 1000);
  assert.equal(
    await checkedByDocker(engine, id, { ...spec, exec: ["ready", "--deep"] }),
    false,
    "the container's HEALTHCHECK runs another command than the probe asks for",
  );
  checked("healthy", 0, -60_000);
  assert.equal(await checkedByDocker(engine, id, spec), false, "an engine clock ahead of ours");
  await waitHealthy(engine, d, id, new AbortController().signal, {
    clock: new FakeClock(),
    alreadyRunning: true,
  });
  assert.deepEqual(engine.execs, [["ready"]], "probed itself when Docker's word is not enough");
});

test("an exec probe that passed moments ago in another run is remembered, not repeated", async () => {
  const engine = engineWithImage();
  const d = svc("db", { healthcheck: { exec: ["ready"], interval: 5 } });
  const id = await engine.createContainer("p2_db", d.container.body);
  await engine.startContainer(id);
  const passes: string[] = [];
  const memo = {
    passedWithin: (cid: string, startedAt: string) => passes.includes(`${cid} ${startedAt}`),
    remember: (cid: string, startedAt: string) => void passes.push(`${cid} ${startedAt}`),
  };
  const wait = () =>
    waitHealthy(engine, d, id, new AbortController().signal, {
      clock: new FakeClock(),
      alreadyRunning: true,
      memo,
    });
  await wait();
  assert.deepEqual(engine.execs, [["ready"]], "first run: probed, and the pass remembered");
  assert.equal(passes.length, 1);
  await wait();
  assert.deepEqual(engine.execs, [["ready"]], "second run: the remembered pass stands");
  await new Promise((r) => setTimeout(r, 5)); // the fake's StartedAt has millisecond resolution
  await engine.restartContainer(id, 0);
  await wait();
  assert.equal(engine.execs.length, 2, "a restarted container is another instance: probed");
});

test("a container that exits while waiting fails at once, with its exit code", async () => {
  const engine = engineWithImage();
  engine.execResult = (c) => {
    engine.exit(c.inspect.Id, 3);
    return 1;
  };
  const err = await up(engine, [svc("db", { healthcheck: { exec: ["ready"] } })]).catch((e) => e);
  assert.equal(err.category, "unhealthy");
  assert.equal(err.message, "db exited with code 3 while waiting to become healthy");
});

test("a missing tag fails the pull without retries (exit 5); a transient error is retried", async () => {
  const engine = new FakeEngine();
  const err = await up(engine, [svc("a", { image: "reg/x:missing" })]).catch((e) => e);
  assert.equal(err.category, "docker_api");
  assert.equal(err.exitCode, 5);
  assert.equal(err.message, "manifest for reg/x:missing not found: manifest unknown");
  assert.equal(
    err.hint,
    "check the image name and tag (the registry does not have it), or point the service at another image: SENTRY_DEVSERVICES: {a: {image: …}} in sentry.conf.yml",
  );
  assert.deepEqual(engine.calls.filter((c) => c.startsWith("pull")), ["pull reg/x:missing"]);

  const flaky = new FakeEngine();
  flaky.registry.set("reg/x:1", [100]);
  flaky.failNext("pullImage", engineError("server", "connection reset by peer"));
  await up(flaky, [svc("a", { image: "reg/x:1" }), svc("b", { image: "reg/x:1" })]);
  assert.deepEqual(flaky.calls.filter((c) => c.startsWith("pull")), [
    "pull reg/x:1",
    "pull reg/x:1",
  ]);
  assert.equal(flaky.byName("p2_b")!.inspect.State.Running, true);
});

test("a transient pull failure is retried after 1 s, then 2 s; the third failure is told", async () => {
  const engine = new FakeEngine();
  engine.registry.set("reg/x:1", [100]);
  const clock = new FakeClock();
  engine.failNext(
    "pullImage",
    engineError("server", "reset 1"),
    engineError("unavailable", "reset 2"),
    engineError("server", "reset 3"),
  );
  const err = await up(engine, [svc("a", { image: "reg/x:1" })], {}, { clock }).catch((e) => e);
  assert.equal(err.category, "docker_api");
  assert.match(err.message, /reset 3/);
  assert.deepEqual(clock.sleeps, [1000, 2000]);
  assert.equal(engine.calls.filter((c) => c.startsWith("pull")).length, 3);
});

test("a foreign container refuses the whole plan before anything runs (exit 1)", async () => {
  const engine = engineWithImage();
  engine.addContainer("p2_db", { running: true });
  const err = await up(engine, [svc("db"), svc("app")]).catch((e) => e);
  assert.equal(err.category, "failure");
  assert.match(err.message, /^Container 'p2_db' \(\w{12}\) holds the name of service db/);
  assert.deepEqual(engine.calls, []);
});

test("a failed start removes the container it created; port starts are serialized", async () => {
  const engine = engineWithImage();
  await up(engine, [svc("one", { ports: { "80/tcp": 18080 } })]);
  const err = await up(engine, [svc("two", { ports: { "80/tcp": 18080 } })]).catch((e) => e);
  assert.equal(err.category, "docker_api");
  assert.equal(
    err.message,
    "Cannot start 'p2_two': port 18080 is already in use by container 'p2_one'",
  );
  assert.equal(engine.byName("p2_two"), undefined);
});

test("an abort during a pull removes what the run created and throws aborted", async () => {
  const engine = engineWithImage();
  engine.registry.set("slow:1", [1]);
  engine.pullDelayMs = 5_000;
  const ctl = new AbortController();
  const run = up(engine, [svc("fast"), svc("slow", { image: "slow:1" })], {}, {
    signal: ctl.signal,
  });
  setTimeout(() => ctl.abort(), 30);
  const err = await run.catch((e) => e);
  assert.equal(err.category, "aborted");
  assert.equal(engine.byName("p2_fast"), undefined);
  assert.equal(engine.byName("p2_slow"), undefined);
});

test("a failed run removes the volumes and network it created", async () => {
  const engine = new FakeEngine();
  const err = await up(engine, [
    svc("db", { image: "nope:1", volumes: { data: { bind: "/data" } } }),
  ]).catch((e) => e);
  assert.equal(err.category, "docker_api");
  assert.deepEqual(engine.calls, [
    "create-network p2",
    "create-volume p2_data",
    "pull nope:1",
    "remove-volume p2_data",
    "remove-network p2",
  ]);
});

test("two runs racing: the loser of the create uses the winner's container", async () => {
  const engine = engineWithImage();
  const d = svc("db");
  // Another sentryctl creates and starts the same container between our observe and create.
  const stack = catalogLayout("p2", [d]);
  const observed = await observe(engine, stack);
  const id = await engine.createContainer("p2_db", d.container.body);
  await engine.startContainer(id);
  const plan = planUp(observed, stack, UP);
  const result = await execute(plan, {
    engine,
    reporter: SILENT,
    clock: new FakeClock(),
  });
  assert.equal(result.outcomes.get("db")!.id, id);
  assert.equal(result.outcomes.get("db")!.outcome, "reused");
  assert.equal([...engine.containers.values()].length, 1);
});

test("a warm up reads Docker's verdict from observe's inspect: no second inspect, no exec", async () => {
  const engine = engineWithImage();
  const d = svc("db", { healthcheck: { exec: ["ready"], interval: 5 } });
  const id = await engine.createContainer("p2_db", d.container.body);
  await engine.startContainer(id);
  engine.containers.get(id)!.inspect.State.Health = {
    Status: "healthy",
    FailingStreak: 0,
    Log: [{ Start: "", End: new Date(Date.now() - 1000).toISOString(), ExitCode: 0, Output: "" }],
  };
  const stack = catalogLayout("p2", [d]);
  const plan = planUp(await observe(engine, stack), stack, UP);
  let inspects = 0;
  const inspect = engine.inspectContainer.bind(engine);
  engine.inspectContainer = (ref: string) => (inspects++, inspect(ref));
  const clock = new FakeClock();
  await execute(plan, {
    engine,
    reporter: SILENT,
    waitHealthy: (t, cid, signal, running) =>
      waitHealthy(engine, t, cid, signal, { clock, ...running }),
    clock,
  });
  assert.equal(inspects, 0, "the inspect observe made moments ago is used");
  assert.deepEqual(engine.execs, []);
});
