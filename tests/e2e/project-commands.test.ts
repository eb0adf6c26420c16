// End-to-end: every command on a project file (issue 17, SPEC §3a), on the real engine. With
// `-f FILE`: doctor (source named, a built image is "build", not a registry problem), up waiting
// on an image's own HEALTHCHECK for `service_healthy`, ps naming the source and listing what
// docker compose made for the project, logs, exec, healthcheck, attach, with (an isolated copy of
// the file's services), down (the project's containers whoever made them) and rm (volumes). With
// `./devservices/config.yml` found in the current directory: ps, doctor and with; serve lists
// the file's services and Start/Stop acts on them. Projects are named per run; cleanup is by the
// compose project label of those names only.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli, testEnv } from "../helpers/cli.ts";
import { cleanupComposeProject, composeContainers, docker, inspect } from "../helpers/docker.ts";
import { eventually } from "../helpers/eventually.ts";
import { RunningCli } from "../helpers/process.ts";
import { freePort } from "../../src/runtime/free-port.ts";

const RUN = `${process.pid}`;
const P = `projcmd-f-${RUN}`;
const DS = `projcmd-ds-${RUN}`;
const PORT = await freePort();
const DS_PORT = await freePort();
const dir = mkdtempSync(join(tmpdir(), "sentryctl-projcmd-"));
const dsDir = mkdtempSync(join(tmpdir(), "sentryctl-projcmd-ds-"));
const FILE = join(dir, "compose.yml");
const DS_FILE = join(dsDir, "devservices", "config.yml");

function removeProject(project: string): void {
  cleanupComposeProject(project);
  docker(["image", "rm", "-f", `${project}-gated`]);
}

/** Every isolated `with` container of these tests' services (unique names), whatever its project. */
function withContainers(service: string): string[] {
  return docker([
    "ps",
    "-a",
    "--filter",
    `label=com.docker.compose.service=${service}`,
    "--filter",
    "label=io.sentry.sentryctl.owner=with",
    "--format",
    "{{.Names}}",
  ]).stdout.split("\n").filter(Boolean);
}

before(() => {
  removeProject(P);
  removeProject(DS);
  mkdirSync(join(dir, "gated"));
  // The image's own HEALTHCHECK passes once the test creates ready/ok (bind-mounted).
  mkdirSync(join(dir, "ready"));
  writeFileSync(
    join(dir, "gated", "Dockerfile"),
    "FROM sentryctl-test/busybox:latest\n" +
      "HEALTHCHECK --interval=1s --timeout=2s --retries=120 CMD test -f /ready/ok\n",
  );
  writeFileSync(
    FILE,
    `services:
  web:
    image: sentryctl-test/busybox:latest
    command: ["sh", "-c", "mkdir -p /www && echo hi > /www/index.html && echo web-started && exec httpd -f -p 8080 -h /www"]
    environment: { FROM_FILE: file-value }
    stop_grace_period: 1s
    ports: ["127.0.0.1:${PORT}:8080"]
    healthcheck:
      test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/"]
      interval: 1s
  gated:
    build: ./gated
    command: ["sleep", "600"]
    stop_grace_period: 1s
    volumes: ["./ready:/ready:ro"]
  waiter:
    image: sentryctl-test/busybox:latest
    command: ["sleep", "600"]
    stop_grace_period: 1s
    volumes: [data:/data]
    depends_on:
      gated: { condition: service_healthy }
volumes:
  data: {}
`,
  );
  mkdirSync(join(dsDir, "devservices"));
  writeFileSync(
    DS_FILE,
    `name: ${DS}
x-sentry-service-config:
  version: 0.1
services:
  projcmdweb:
    image: sentryctl-test/busybox:latest
    command: ["sh", "-c", "mkdir -p /www && echo hi > /www/index.html && exec httpd -f -p 8080 -h /www"]
    environment: { FROM_FILE: ds-value }
    stop_grace_period: 1s
    ports: ["127.0.0.1:${DS_PORT}:8080"]
`,
  );
});

after(async () => {
  await RunningCli.killAll();
  removeProject(P);
  removeProject(DS);
  for (const name of withContainers("projcmdweb")) docker(["rm", "-f", name]);
});

function cli(args: string[], opts: { cwd?: string } = {}) {
  return runCli(["-f", FILE, "--project", P, ...args], {
    env: testEnv(),
    timeoutMs: 120_000,
    ...opts,
  });
}

function inDevservicesDir(args: string[]) {
  return runCli(args, { env: testEnv(), cwd: dsDir, timeoutMs: 120_000 });
}

describe("every command on a project file (-f)", { timeout: 170_000 }, () => {
  test("doctor, up on an image's HEALTHCHECK, ps with compose's containers, logs, exec, healthcheck, attach, with, down, rm", async () => {
    const source = `Stack source: ${FILE} (-f); project '${P}'`;
    const doctor = await cli(["doctor"]);
    assert.match(doctor.stdout, new RegExp(`^${escape(source)}$`, "m"), doctor.stdout);
    assert.match(
      doctor.stdout,
      /Services enabled \(3\): web, gated, waiter|Services enabled \(3\)/,
    );
    assert.match(
      doctor.stdout,
      new RegExp(`build +${P}-gated \\(built by up`),
      "an image the file builds is not a registry problem",
    );
    assert.doesNotMatch(doctor.stdout, /Registries of missing images/);

    const upRun = new RunningCli(["-f", FILE, "--project", P, "up"]);
    // gated runs but is not healthy until ready/ok exists: waiter must not start meanwhile.
    await eventually(
      "gated running",
      () => inspect("container", `${P}-gated-1`)?.State.Running === true,
      90_000,
    );
    await new Promise((r) => setTimeout(r, 4000));
    // SPEC §4: start in dependency order. The waiter's container may be made ahead (its create
    // is off the dependency's path, as compose v2 does), but it must not have run.
    const ahead = inspect("container", `${P}-waiter-1`);
    assert.ok(ahead, "waiter is created while gated is not yet healthy");
    assert.equal(ahead.State.Status, "created", "waiter started while gated was not healthy");
    assert.match(ahead.State.StartedAt, /^0001-01-01/, "waiter never ran before gated was healthy");
    const readyAt = Date.now();
    writeFileSync(join(dir, "ready", "ok"), "");
    const up = await upRun.exited;
    assert.equal(up.code, 0, up.stderr);
    const gated = inspect("container", `${P}-gated-1`);
    const waiter = inspect("container", `${P}-waiter-1`);
    assert.equal(gated.State.Health?.Status, "healthy", "the image's HEALTHCHECK passed");
    // service_healthy waited for Docker's verdict, which needed the file (host and engine share
    // the clock; a little slack for the start timestamp's rounding).
    const early = readyAt - Date.parse(waiter.State.StartedAt);
    assert.ok(early < 200, `waiter started ${early} ms before gated could be healthy`);
    assert.match(up.stderr, /Docker's health status/);

    // A container docker compose (or devservices) made for the same project is the project's.
    const made = docker([
      "run",
      "-d",
      "--name",
      `${P}-extra-1`,
      "--label",
      `com.docker.compose.project=${P}`,
      "--label",
      "com.docker.compose.service=extra",
      "--label",
      "com.docker.compose.oneoff=False",
      "sentryctl-test/busybox:latest",
      "sleep",
      "600",
    ]);
    assert.equal(made.code, 0, made.stderr);
    const ps = await cli(["ps", "--json"]);
    assert.equal(ps.code, 0, ps.stderr);
    assert.match(ps.stderr, new RegExp(escape(source)));
    const listed = JSON.parse(ps.stdout) as { service: string; container: string; state: string }[];
    assert.deepEqual(listed.map((s) => s.service).sort(), ["extra", "gated", "waiter", "web"]);
    assert.equal(listed.find((s) => s.service === "extra")?.container, `${P}-extra-1`);
    const table = await cli(["ps"]);
    assert.match(table.stdout, new RegExp(`${P}-extra-1`));

    // doctor after up: the project's own containers (ours and compose's) are no problem.
    const doctor2 = await cli(["doctor"]);
    assert.doesNotMatch(doctor2.stdout, /foreign/, doctor2.stdout);
    assert.doesNotMatch(doctor2.stdout, /port \d+ \(web\) is held/, doctor2.stdout);

    const logs = await cli(["logs", "web"]);
    assert.equal(logs.code, 0, logs.stderr);
    assert.match(logs.stdout, /web-started/);
    const all = await cli(["logs"]);
    assert.match(all.stdout, /^web +\| web-started$/m, all.stdout);

    const exec = await cli(["exec", "web", "--", "sh", "-c", 'echo "$FROM_FILE"']);
    assert.equal(exec.code, 0, exec.stderr);
    assert.equal(exec.stdout, "file-value\n");

    const hc = await cli(["healthcheck", "web", "gated"]);
    assert.equal(hc.code, 0, hc.stdout + hc.stderr);
    assert.match(hc.stdout + hc.stderr, /web/);

    // attach to a running service: its logs, and Ctrl-C leaves what it found running.
    const attach = new RunningCli(["-f", FILE, "--project", P, "attach", "web", "--since", "1h"]);
    await attach.waitFor(/web-started/, 60_000);
    attach.signal("SIGINT");
    const attached = await attach.exited;
    assert.equal(attached.code, 0, attached.stderr);
    assert.equal(inspect("container", `${P}-web-1`)?.State.Running, true, "left running");

    // with: an isolated copy of the file's service on an ephemeral port, removed afterwards.
    const w = await cli([
      "with",
      "web",
      "--",
      "sh",
      "-c",
      'echo "port=$SENTRY_WEB_PORT"; docker ps --filter label=io.sentry.sentryctl.owner=with ' +
      '--filter label=com.docker.compose.service=web --filter "label=com.docker.compose.project.config_files=' +
      FILE +
      '" --format "{{.Names}}"',
    ]);
    assert.equal(w.code, 0, w.stderr);
    const port = /port=(\d+)/.exec(w.stdout)?.[1];
    assert.ok(port && port !== String(PORT), `an ephemeral port, not the file's: ${w.stdout}`);
    assert.match(w.stdout, /^sentry-with-[0-9a-f]{8}-web-1$/m, w.stdout);
    assert.equal(inspect("container", `${P}-web-1`)?.State.Running, true, "the file's own stays");

    const down = await cli(["down"]);
    assert.equal(down.code, 0, down.stderr);
    assert.deepEqual(
      composeContainers(P),
      [],
      "down removes the project's containers, compose's too",
    );
    assert.ok(inspect("volume", `${P}_data`), "down keeps volumes");
    const rm = await cli(["rm", "-y"]);
    assert.equal(rm.code, 0, rm.stderr);
    assert.equal(inspect("volume", `${P}_data`), undefined, "rm removes the project's volumes");
  });
});

describe("./devservices/config.yml found in the current directory", { timeout: 170_000 }, () => {
  test("ps and doctor name it; with runs an isolated copy of its service", async () => {
    const source = `Stack source: ${DS_FILE} (./devservices/config.yml); project '${DS}'`;
    const ps = await inDevservicesDir(["ps"]);
    assert.equal(ps.code, 0, ps.stderr);
    assert.match(ps.stderr, new RegExp(escape(source)));
    const doctor = await inDevservicesDir(["doctor"]);
    assert.match(doctor.stdout, new RegExp(escape(source)));
    assert.match(doctor.stdout, /Services enabled \(1\): projcmdweb/);

    const w = await inDevservicesDir([
      "with",
      "projcmdweb",
      "--",
      "sh",
      "-c",
      'echo "port=$SENTRY_PROJCMDWEB_PORT"; for c in $(docker ps -q --filter ' +
      "label=io.sentry.sentryctl.owner=with --filter label=com.docker.compose.service=projcmdweb); " +
      `do docker exec "$c" sh -c 'echo "$FROM_FILE"'; done`,
    ]);
    assert.equal(w.code, 0, w.stderr);
    assert.match(w.stdout, /port=\d+/);
    assert.match(w.stdout, /^ds-value$/m, "the container is the file's service");
    assert.deepEqual(withContainers("projcmdweb"), [], "the isolated project is removed");
    assert.deepEqual(composeContainers(DS), [], "the file's own project was never started");
  });

  test("serve lists the file's services; Start creates and Stop stops them", async () => {
    const state = mkdtempSync(join(tmpdir(), "sentryctl-projcmd-state-"));
    writeFileSync(join(state, "sentry.conf.yml"), "{}\n");
    const serve = new RunningCli(
      ["-f", DS_FILE, "--config", state, "serve", "--bind", "127.0.0.1:0"],
      testEnv(),
    );
    try {
      await serve.waitFor(/Token file: .+\n/, 30_000);
      const base = /Status server on (http:\/\/[^/]+)\//.exec(serve.stdout)![1]!;
      const tokenPath = /Token file: (\S+)/.exec(serve.stdout)![1]!;
      const token = readFileSync(tokenPath, "utf8").trim();
      const api = (path: string, init: RequestInit = {}) =>
        fetch(`${base}${path}`, {
          ...init,
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        });
      const status = (await (await api("/api/0/status/")).json()) as {
        project: string;
        services: { service: string; state: string; container: string }[];
      };
      assert.equal(status.project, DS);
      assert.deepEqual(status.services.map((s) => [s.service, s.state]), [[
        "projcmdweb",
        "missing",
      ]]);

      const start = await api("/api/0/devservices/projcmdweb/", {
        method: "PUT",
        body: JSON.stringify({ state: "running" }),
      });
      assert.equal(start.status, 200, await start.clone().text());
      const started = (await start.json()) as { state: string; container: string };
      assert.equal(started.state, "running");
      assert.equal(started.container, `${DS}-projcmdweb-1`);
      const made = inspect("container", `${DS}-projcmdweb-1`);
      assert.equal(made?.Config.Labels["com.docker.compose.project"], DS);
      assert.ok(made?.Config.Env.includes("FROM_FILE=ds-value"));

      const stop = await api("/api/0/devservices/projcmdweb/", {
        method: "PUT",
        body: JSON.stringify({ state: "stopped" }),
      });
      assert.equal(stop.status, 200);
      assert.equal(inspect("container", `${DS}-projcmdweb-1`)?.State.Running, false);
    } finally {
      serve.signal("SIGTERM");
      await serve.exited;
    }
    const down = await runCli(["-f", DS_FILE, "down"], { env: testEnv() });
    assert.equal(down.code, 0, down.stderr);
    assert.deepEqual(composeContainers(DS), []);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
