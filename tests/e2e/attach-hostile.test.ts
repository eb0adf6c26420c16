// End-to-end: `attach` used as a careless or hostile user would (issue #6), against the real
// engine, through a proxy that can freeze or drop the engine without touching the shared dockerd.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { REPO_ROOT, runCli, runProgram, sentryctlCommand, testEnv } from "../helpers/cli.ts";
import { cleanupProject, docker, inspect } from "../helpers/docker.ts";
import { DockerProxy } from "../helpers/docker-proxy.ts";
import { configDir } from "../helpers/config-dir.ts";
import { RunningCli } from "../helpers/process.ts";
import { freePort } from "../../src/runtime/free-port.ts";

const PROJECT = "sctl-e2e-hostile";
const C = (service: string) => `${PROJECT}_${service}`;
const LOOP = "trap 'exit 0' TERM; while true; do sleep 1 & wait $!; done";
// A loopback port free right now: the engine is shared, fixed ports collide with other suites.
const REDIS_PORT = await freePort();
const SETTINGS = `
SENTRY_DEVSERVICES:
  redis:
    image: sentryctl-test/redis:7
    command: null
    ports: { "6379/tcp": ${REDIS_PORT} }
  idle:
    image: sentryctl-test/busybox:latest
    command: ["sh", "-c", "echo idle ready; ${LOOP}"]
    stop_grace_period: 5
  chatty:
    image: sentryctl-test/busybox:latest
    command: ["sh", "-c", "trap 'exit 0' TERM; i=0; while true; do i=$((i+1)); echo chatty line $i; done"]
    stop_grace_period: 5
  exiter:
    image: sentryctl-test/busybox:latest
    command: ["sh", "-c", "echo going away; exit 3"]
  stale:
    image: sentryctl-test/busybox:latest
    command: ["sh", "-c", "echo stale ready; ${LOOP}"]
    stop_grace_period: 5
  unpullable:
    image: 127.0.0.1:5000/sentryctl-test/missing:1
    volumes: { unpullable-data: { bind: /data } }
  offline:
    image: registry.sentryctl-offline.invalid/redis:7
    volumes: { offline-data: { bind: /data } }
`;

const conf = configDir({ "sentry.conf.yml": SETTINGS });
const args = (...rest: string[]) => ["--config", conf, "--project", PROJECT, "attach", ...rest];
const attach = (rest: string[], env: Record<string, string> = testEnv()) =>
  new RunningCli(args(...rest), env);

const DENO = [join(REPO_ROOT, "node_modules/.bin/deno"), "run", "-A", join(REPO_ROOT, "main.ts")];

/** Runs `cmd… | head -1` (or `cmd… > /dev/full`) in bash; resolves with sentryctl's status. */
function pipeline(
  cmd: string[],
  redirect: "| head -1" | ">/dev/full",
): Promise<{ status: number; stderr: string; stdout: string; elapsedMs: number }> {
  const started = Date.now();
  const script = `"$@" ${redirect}; echo "status=\${PIPESTATUS[0]}" >&2`;
  return runProgram("bash", ["-c", script, "_", ...cmd]).then(({ stderr, stdout }) => {
    const status = Number(/status=(\d+)/.exec(stderr)?.[1] ?? -1);
    return { status, stderr, stdout, elapsedMs: Date.now() - started };
  });
}

function containerId(name: string): string | undefined {
  return inspect("container", name)?.Id;
}

describe("attach under hostile use (real engine)", { timeout: 180_000 }, () => {
  const proxies: DockerProxy[] = [];
  const proxy = async (opts: { tcp?: boolean } = {}) => {
    const p = await DockerProxy.start(opts);
    proxies.push(p);
    return p;
  };

  before(() => cleanupProject(PROJECT));
  after(async () => {
    await RunningCli.killAll();
    for (const p of proxies) {
      p.thaw();
      await p.kill().catch(() => {});
    }
    docker(["rm", "-f", C("redis")]); // the foreign squatter of the first test, if left
    cleanupProject(PROJECT);
    docker(["network", "rm", `${PROJECT}-legacy`]);
    docker(["volume", "rm", `${PROJECT}-legacy_redis`]);
  });

  test("#1 a foreign container with our name is left alone: exit 1 naming it and the fix", async () => {
    assert.equal(
      docker(["run", "-d", "--name", C("redis"), "sentryctl-test/busybox:latest", "sleep", "1000"])
        .code,
      0,
    );
    try {
      const before = containerId(C("redis"));
      const exit = await attach(["redis"]).exited;
      assert.equal(exit.code, 1, exit.stderr);
      assert.match(exit.stderr, new RegExp(`error: .*'${C("redis")}'`));
      assert.match(exit.stderr, new RegExp(`docker rm -f ${C("redis")}`));
      assert.match(exit.stderr, /--project/);
      const after = inspect("container", C("redis"));
      assert.equal(after?.Id, before, "the same container");
      assert.equal(after?.State.Running, true, "still running");
    } finally {
      docker(["rm", "-f", C("redis")]);
    }
  });

  test("#1 an unlabelled (legacy) network and volume are reused and never deleted", async () => {
    const legacy = `${PROJECT}-legacy`;
    assert.equal(docker(["network", "create", legacy]).code, 0);
    assert.equal(docker(["volume", "create", `${legacy}_redis`]).code, 0);
    const run = new RunningCli(
      ["--config", conf, "--project", legacy, "attach", "redis"],
      testEnv(),
    );
    try {
      await run.waitFor(/Ready to accept connections/);
      const c = inspect("container", `${legacy}_redis`);
      assert.ok(c.NetworkSettings.Networks[legacy], "joined the legacy network");
      run.signal("SIGINT");
      const exit = await run.exited;
      assert.equal(exit.code, 0, exit.stderr);
      assert.ok(inspect("network", legacy), "legacy network kept");
      assert.ok(inspect("volume", `${legacy}_redis`), "legacy volume kept");
      assert.equal(inspect("container", `${legacy}_redis`), undefined);
    } finally {
      run.signal("SIGKILL");
      cleanupProject(legacy);
    }
  });

  for (const [runtime, cmd] of [["binary", sentryctlCommand()], ["deno", DENO]] as const) {
    test(`#2 '| head -1' under the ${runtime}: container stopped and removed, no trace, 141`, async () => {
      const r = await pipeline([...cmd, ...args("chatty")], "| head -1");
      assert.equal(r.status, 141, r.stderr);
      assert.match(r.stdout, /^chatty line \d+\n$/);
      assert.doesNotMatch(r.stderr, /\n\s+at |EPIPE|Error:/, "no stack trace");
      assert.equal(inspect("container", C("chatty")), undefined, "nothing left running");
    });
  }

  test("#2 stdout on a full disk (>/dev/full): treated as a stop request, 141", async () => {
    const r = await pipeline([...sentryctlCommand(), ...args("chatty")], ">/dev/full");
    assert.equal(r.status, 141, r.stderr);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
    assert.match(r.stderr, /stdout/);
    assert.equal(inspect("container", C("chatty")), undefined, "nothing left running");
  });

  test("#3 frozen daemon: the second signal ends attach within 2 s, exit 130, naming what may run", async () => {
    const p = await proxy();
    const run = attach(["idle"], testEnv({ DOCKER_HOST: p.url }));
    await run.waitFor(/idle ready/);
    p.freeze();
    run.signal("SIGINT");
    await run.waitFor(/Stopping idle/);
    await new Promise((r) => setTimeout(r, 300));
    const t0 = Date.now();
    run.signal("SIGINT");
    const exit = await run.exited;
    const took = Date.now() - t0;
    assert.ok(took < 2_000, `exited ${took} ms after the second signal`);
    assert.equal(exit.code, 130, exit.stderr);
    assert.match(exit.stderr, new RegExp(`may still be running: container '${C("idle")}'`));
    p.thaw();
    docker(["rm", "-f", C("idle")]);
  });

  test("#3 INT, INT, INT, TERM with the daemon frozen during set-up: exit 130 within 2 s", async () => {
    const p = await proxy();
    const run = attach(["idle"], testEnv({ DOCKER_HOST: p.url }));
    await run.waitFor(/Creating|Starting|idle ready/);
    p.freeze();
    run.signal("SIGINT");
    await new Promise((r) => setTimeout(r, 200));
    const t0 = Date.now();
    run.signal("SIGINT");
    run.signal("SIGINT");
    run.signal("SIGTERM");
    const exit = await run.exited;
    assert.ok(Date.now() - t0 < 2_000, `exited ${Date.now() - t0} ms after the second signal`);
    assert.equal(exit.code, 130, exit.stderr);
    p.thaw();
    docker(["rm", "-f", C("idle")]);
  });

  test("#3 the daemon stops while following: exit 4 with a message", async () => {
    const p = await proxy();
    const run = attach(["idle"], testEnv({ DOCKER_HOST: p.url }));
    await run.waitFor(/idle ready/);
    await p.kill();
    const exit = await run.exited;
    assert.equal(exit.code, 4, exit.stderr);
    assert.match(exit.stderr, /lost the Docker engine/i);
    assert.doesNotMatch(exit.stderr, /exited with code 0/);
    docker(["rm", "-f", C("idle")]);
  });

  test("#3 a signal while an old container is being stopped aborts the set-up", async () => {
    // An older container of ours with another config: attach must stop it before creating.
    assert.equal(
      docker([
        "run",
        "-d",
        "--name",
        C("stale"),
        "--label",
        `io.sentry.sentryctl.project=${PROJECT}`,
        "--label",
        "io.sentry.sentryctl.service=stale",
        "--label",
        "io.sentry.sentryctl.config-hash=outdated",
        "sentryctl-test/busybox:latest",
        "sh",
        "-c",
        "trap '' TERM; while true; do sleep 1; done",
      ]).code,
      0,
    );
    const old = containerId(C("stale"));
    const run = attach(["stale"]);
    await run.waitFor(/Stopping container/);
    const t0 = Date.now();
    run.signal("SIGINT");
    const exit = await run.exited;
    assert.ok(Date.now() - t0 < 3_000, `aborted in ${Date.now() - t0} ms`);
    assert.equal(exit.code, 130, exit.stderr);
    assert.doesNotMatch(exit.stderr, /Creating container/);
    const now = inspect("container", C("stale"));
    assert.ok(now === undefined || now.Id === old, "no new container was created");
    docker(["rm", "-f", C("stale")]);
  });

  test("#4 a container that exits by itself points at a command that exists", async () => {
    const exit = await attach(["exiter"]).exited;
    assert.equal(exit.code, 3, exit.stderr);
    const pointer = /see '(sentryctl --project \S+ logs exiter)'/.exec(exit.stderr);
    assert.ok(pointer, exit.stderr);
    // The command it points at exists and shows the output.
    const shown = await runCli(
      ["--config", conf, ...pointer[1]!.split(" ").slice(1)],
      { env: testEnv() },
    );
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /going away/);
    docker(["rm", "-f", C("exiter")]);
  });

  test("#4 removed by someone else: says so, exit 1", async () => {
    const run = attach(["idle"]);
    await run.waitFor(/idle ready/);
    docker(["rm", "-f", C("idle")]);
    const exit = await run.exited;
    assert.equal(exit.code, 1, exit.stderr);
    assert.match(exit.stderr, /removed by someone else/);
    // Let the engine finish the removal before the next test reuses the name.
    for (let i = 0; i < 50 && inspect("container", C("idle")); i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  test("#4/#7 two attaches together share one container; the reuser's Ctrl-C detaches", async () => {
    const a = attach(["idle"]);
    const b = attach(["idle"]);
    await a.waitFor(/idle ready/);
    await b.waitFor(/idle ready/);
    const created = [a, b].filter((r) => /Creating container/.test(r.stderr));
    assert.equal(created.length >= 1, true);
    const owner = /Creating container/.test(a.stderr) && !/using it/.test(a.stderr) ? a : b;
    const reuser = owner === a ? b : a;
    const id = containerId(C("idle"));
    const labels = inspect("container", C("idle")).Config.Labels;
    assert.equal(labels["io.sentry.sentryctl.owner"], "attach");
    assert.match(
      labels["io.sentry.sentryctl.session"],
      // The session label of src/lib/session.ts: what the orphan sweep judges.
      /^host=[0-9a-f]{16};boot=[A-Za-z0-9-]*;pid=\d+;start=\d*$/,
    );
    reuser.signal("SIGINT");
    const rExit = await reuser.exited;
    assert.equal(rExit.code, 0, rExit.stderr);
    assert.match(rExit.stderr, /detached/i);
    assert.equal(containerId(C("idle")), id, "the shared container survives the reuser");
    assert.equal(inspect("container", C("idle")).State.Running, true);
    owner.signal("SIGINT");
    const oExit = await owner.exited;
    assert.equal(oExit.code, 0, oExit.stderr);
    assert.equal(inspect("container", C("idle")), undefined, "its creator removes it");
  });

  for (
    const [service, advice] of [
      ["offline", /check network access to registry\.sentryctl-offline\.invalid /],
      ["unpullable", /check the image name and tag \(the registry does not have it\)/],
    ] as const
  ) {
    test(`#5 a pull failure (${service}) says what to do and leaves no new volume or network`, async () => {
      const project = `${PROJECT}-${service}`;
      cleanupProject(project);
      const exit = await new RunningCli(
        ["--config", conf, "--project", project, "attach", service],
        testEnv(),
      ).exited;
      assert.equal(exit.code, 5, exit.stderr);
      assert.match(exit.stderr, advice);
      assert.match(
        exit.stderr,
        new RegExp(
          `point the service at another image: SENTRY_DEVSERVICES: \\{${service}: \\{image: …\\}\\}`,
        ),
      );
      assert.doesNotMatch(exit.stderr, /answered HTTP 500/);
      assert.equal(inspect("volume", `${project}_${service}-data`), undefined, "volume removed");
      assert.equal(inspect("network", project), undefined, "network removed");
    });
  }

  test("#7 a tcp:// endpoint prints no runtime warning", async () => {
    const p = await proxy({ tcp: true });
    const exit = await attach(["exiter"], testEnv({ DOCKER_HOST: p.url })).exited;
    assert.equal(exit.code, 3, exit.stderr);
    assert.doesNotMatch(exit.stderr, /Warning|DEP0/);
    docker(["rm", "-f", C("exiter")]);
  });
});

describe("attach input checks before Docker", () => {
  const bad = async (argv: string[], env = testEnv()) => await runCli(argv, { env });

  for (const project of ["a b", "_x", "", "../x", "x".repeat(300)]) {
    test(`--project ${JSON.stringify(project.slice(0, 10))}: exit 2 with Docker's name rule`, async () => {
      const r = await bad(["--config", conf, "--project", project, "attach", "redis"]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /hint: a project name is a letter or digit/);
      assert.doesNotMatch(r.stderr, /Warning/);
    });
  }

  test("a settings file over 1 MiB: exit 3", async () => {
    const dir = configDir({ "sentry.conf.yml": `A: 1\n${"# padding\n".repeat(120_000)}` });
    const r = await bad(["--config", dir, "--project", PROJECT, "attach", "redis"]);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /too large for a settings file .*the limit is 1\.0 MiB/);
  });

  test("a sentry.conf.ts that never finishes loading: exit 3 naming it after 10 s", async () => {
    const dir = configDir({ "sentry.conf.ts": "while (true) {}\nexport default {};\n" });
    const t0 = Date.now();
    const r = await bad(["--config", dir, "--project", PROJECT, "attach", "redis"]);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /sentry\.conf\.ts is still loading after 10 s/);
    assert.ok(Date.now() - t0 < 15_000);
  });

  test("a sentry.conf.ts that calls process.exit is reported", async () => {
    const dir = configDir({ "sentry.conf.ts": "process.exit(0);\nexport default {};\n" });
    const r = await bad(["--config", dir, "--project", PROJECT, "attach", "redis"]);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /sentry\.conf\.ts called process\.exit/);
  });

  test("an unknown service name with escapes and 10 KB is escaped and cut", async () => {
    const r = await bad([
      "--config",
      conf,
      "--project",
      PROJECT,
      "attach",
      `\x1b[2J${"n".repeat(10_000)}`,
    ]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr.includes("\x1b"), false, "no raw escape character");
    assert.match(r.stderr, /Service `\\x1b\[2Jn+… \(\d+ more characters\)` is not known/);
    assert.ok(r.stderr.length < 2_000);
  });

  test("image: 12345 is a wrong type, exit 3", async () => {
    const dir = configDir({
      "sentry.conf.yml": "SENTRY_DEVSERVICES:\n  redis:\n    image: 12345\n",
    });
    const r = await bad(["--config", dir, "--project", PROJECT, "attach", "redis"]);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /image has the wrong type: expected a string, got an integer/);
  });

  test("a 100k-deep YAML line is not echoed whole", async () => {
    const dir = configDir({ "sentry.conf.yml": `A: ${"[".repeat(100_000)}\n` });
    const r = await bad(["--config", dir, "--project", PROJECT, "attach", "redis"]);
    assert.equal(r.code, 3, r.stderr);
    assert.ok(r.stderr.length < 2_000, `stderr is ${r.stderr.length} characters`);
  });
});
