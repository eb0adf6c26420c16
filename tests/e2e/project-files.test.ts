// End-to-end: a compose-format project file on the real engine (issue 17, must-show 2–4). One
// stack using every feature (anchors and merge keys, .env and defaults, env_file, a pass-through
// variable, build with args, long-form ports, a bind-mounted file, named volumes, service_healthy
// and service_completed_successfully, reaching a service by name, a profile, drift, a no-op
// second up, down keeping volumes); interop both ways with Debian's docker-compose 1.29; and
// self-hosted's file planned with local images. Projects are named per run; cleanup is by the
// compose project label of those names only.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { REPO_ROOT, runCli, testEnv } from "../helpers/cli.ts";
import { cleanupComposeProject, docker, inspect } from "../helpers/docker.ts";
import { freePort } from "../../src/runtime/free-port.ts";

const RUN = `${process.pid}`;
const P = `converge-pf-${RUN}`;
const INTEROP = `converge-interop-${RUN}`;
const FAILING = `converge-fail-${RUN}`;
const PORT = await freePort();
const CORPUS = process.env.SENTRYCTL_CORPUS ?? resolve(REPO_ROOT, "../shared/corpus");
const hasCompose = spawnSync("docker-compose", ["version"]).status === 0;

function removeProject(project: string): void {
  cleanupComposeProject(project);
  docker(["image", "rm", "-f", `${project}-app`]);
}

const dir = mkdtempSync(join(tmpdir(), "sentryctl-pf-"));
const FILE = `
x-common: &common
  labels: { team: converge }
  stop_grace_period: 1s

services:
  redis:
    image: sentryctl-test/redis:7
    healthcheck:
      test: ["CMD", "redis-cli", "ping"]
      interval: 1s
      retries: 30
    volumes: [cache:/data]
  migrate:
    image: sentryctl-test/redis:7
    depends_on:
      redis: { condition: service_healthy }
    # Reaches redis by its service name; the marker shows the one-shot ran to its end.
    command: ["sh", "-c", "redis-cli -h redis set migrated yes && echo done > /shared/migrated"]
    volumes: [shared:/shared]
  app:
    <<: *common
    build:
      context: ./app
      args: { GREETING: "\${GREETING:-hello-default}" }
    depends_on:
      redis: { condition: service_healthy }
      migrate: { condition: service_completed_successfully }
    env_file: [app.env]
    environment:
      FROM_DOTENV: \${DOTENV_VALUE}
      DEFAULTED: \${NOT_SET_ANYWHERE:-fallback}
      PASS_THROUGH:
    command: ["sh", "-c", "mkdir -p /www && cat /greeting > /www/index.html && exec httpd -f -p 8080 -h /www"]
    healthcheck:
      test: wget -q -O /dev/null http://127.0.0.1:8080/
      interval: 1s
    ports:
      - target: 8080
        published: "${PORT}"
        host_ip: 127.0.0.1
        protocol: tcp
    volumes:
      - ./conf.txt:/etc/app/conf.txt:ro
      - shared:/shared
  side:
    <<: *common
    image: sentryctl-test/busybox:latest
    command: ["sleep", "600"]
    environment: { LEVEL: "\${LEVEL:-1}" }
  debug:
    <<: *common
    image: sentryctl-test/busybox:latest
    profiles: [debug]
    command: ["sleep", "600"]

volumes:
  cache: {}
  shared: {}
`;

before(() => {
  removeProject(P);
  removeProject(INTEROP);
  removeProject(FAILING);
  mkdirSync(join(dir, "app"));
  writeFileSync(join(dir, "compose.yml"), FILE);
  writeFileSync(join(dir, ".env"), "DOTENV_VALUE=from-dotenv\nGREETING=hello-from-env\n");
  writeFileSync(join(dir, "app.env"), "FROM_ENV_FILE=env-file-value\n");
  writeFileSync(join(dir, "conf.txt"), "bind-mounted\n");
  writeFileSync(
    join(dir, "app", "Dockerfile"),
    'FROM sentryctl-test/busybox:latest\nARG GREETING\nRUN echo "$GREETING" > /greeting\n' +
      "COPY . /ctx\nRUN test -f /ctx/Dockerfile && test ! -e /ctx/secret.txt\n",
  );
  // Excluded by .dockerignore: the build fails if the context carried it.
  writeFileSync(join(dir, "app", ".dockerignore"), "secret.txt\n");
  writeFileSync(join(dir, "app", "secret.txt"), "never sent\n");
});

after(() => {
  removeProject(P);
  removeProject(INTEROP);
  removeProject(FAILING);
});

function sentryctl(args: string[], env: Record<string, string> = {}) {
  return runCli(["-f", join(dir, "compose.yml"), "--project", P, ...args], {
    env: testEnv({ PASS_THROUGH: "from-host", ...env }),
    timeoutMs: 170_000,
  });
}

function ids(project: string): Record<string, string> {
  const out = docker([
    "ps",
    "-a",
    "--filter",
    `label=com.docker.compose.project=${project}`,
    "--format",
    '{{.Label "com.docker.compose.service"}} {{.ID}}',
  ]).stdout;
  return Object.fromEntries(out.split("\n").filter(Boolean).map((l) => l.split(" ")));
}

describe("a project file on the real engine", { timeout: 170_000 }, () => {
  test("every feature in one stack; drift recreates one service; a second up changes nothing; down keeps volumes", async () => {
    const first = await sentryctl(["up"]);
    assert.equal(first.code, 0, first.stderr);
    // The profile's service is not part of it.
    assert.deepEqual(Object.keys(ids(P)).sort(), ["app", "migrate", "redis", "side"]);
    const app = inspect("container", `${P}-app-1`);
    assert.ok(app, "the container is named <project>-<service>-1");
    const labels = app.Config.Labels;
    assert.equal(labels["com.docker.compose.project"], P);
    assert.equal(labels["com.docker.compose.service"], "app");
    assert.equal(labels["com.docker.compose.oneoff"], "False");
    assert.equal(labels["com.docker.compose.project.working_dir"], dir);
    assert.equal(labels["team"], "converge", "merge key brought the anchor's labels");
    assert.equal(labels["io.sentry.sentryctl.project"], P);
    const env = new Set<string>(app.Config.Env);
    for (
      const e of [
        "FROM_DOTENV=from-dotenv",
        "DEFAULTED=fallback",
        "PASS_THROUGH=from-host",
        "FROM_ENV_FILE=env-file-value",
      ]
    ) assert.ok(env.has(e), `${e} in ${[...env].join(" ")}`);
    assert.deepEqual(app.HostConfig.PortBindings["8080/tcp"], [
      { HostIp: "127.0.0.1", HostPort: String(PORT) },
    ]);
    assert.ok(
      app.NetworkSettings.Networks[`${P}_default`].Aliases.includes("app"),
      "the service name is a DNS alias",
    );
    // Built with its args, served on the long-form port.
    const page = await (await fetch(`http://127.0.0.1:${PORT}/`)).text();
    assert.equal(page, "hello-from-env\n");
    const execd = await sentryctl([
      "exec",
      "app",
      "--",
      "sh",
      "-c",
      "cat /etc/app/conf.txt /shared/migrated; ls /greeting",
    ]);
    assert.equal(execd.code, 0, execd.stderr);
    assert.equal(execd.stdout, "bind-mounted\ndone\n/greeting\n");
    const migrate = inspect("container", `${P}-migrate-1`);
    assert.equal(migrate.State.ExitCode, 0);
    assert.equal(inspect("volume", `${P}_cache`)?.Labels["com.docker.compose.volume"], "cache");

    // A second up: every container kept (the finished one-shot is started again, as compose).
    const before = ids(P);
    const second = await sentryctl(["up"]);
    assert.equal(second.code, 0, second.stderr);
    assert.doesNotMatch(second.stderr, /Creating container/);
    assert.deepEqual(ids(P), before);

    // Drift in one service: only it is recreated.
    const drift = await sentryctl(["up"], { LEVEL: "2" });
    assert.equal(drift.code, 0, drift.stderr);
    const drifted = ids(P);
    assert.notEqual(drifted.side, before.side);
    for (const s of ["app", "migrate", "redis"]) assert.equal(drifted[s], before[s], s);

    // The profile adds its service.
    const profiled = await sentryctl(["up", "--profile", "debug"], { LEVEL: "2" });
    assert.equal(profiled.code, 0, profiled.stderr);
    assert.ok(ids(P).debug);

    const ps = await sentryctl(["ps", "--json"]);
    assert.equal(ps.code, 0, ps.stderr);
    const listed = JSON.parse(ps.stdout) as { service: string }[];
    assert.ok(listed.some((s) => s.service === "app"));

    const down = await sentryctl(["down"]);
    assert.equal(down.code, 0, down.stderr);
    assert.deepEqual(ids(P), {});
    assert.ok(inspect("volume", `${P}_cache`), "down keeps volumes");
    assert.ok(inspect("volume", `${P}_shared`));
    assert.equal(inspect("network", `${P}_default`), undefined, "down removes the network");
  });

  test("service_completed_successfully: a one-shot exiting 3 fails naming it (exit 6); its dependent is not started", async () => {
    const file = join(dir, "failing.yml");
    writeFileSync(
      file,
      `services:
  job:
    image: sentryctl-test/busybox:latest
    command: ["sh", "-c", "exit 3"]
  web:
    image: sentryctl-test/busybox:latest
    command: ["sleep", "600"]
    depends_on:
      job: { condition: service_completed_successfully }
`,
    );
    const r = await runCli(["-f", file, "--project", FAILING, "up"], {
      env: testEnv(),
      timeoutMs: 60_000,
    });
    assert.equal(r.code, 6, r.stderr);
    assert.match(r.stderr, /job did not complete successfully: exit code 3/);
    assert.equal(ids(FAILING).web, undefined);
  });

  test(
    "interop with docker-compose 1.29: it lists and removes what we made; we reuse and remove what it made",
    {
      skip: !hasCompose && "docker-compose is not installed",
    },
    async () => {
      const file = join(dir, "interop.yml");
      writeFileSync(
        file,
        `services:
  cache:
    image: sentryctl-test/redis:7
    stop_grace_period: 1s
    healthcheck:
      test: ["CMD", "redis-cli", "ping"]
      interval: 1s
  worker:
    image: sentryctl-test/busybox:latest
    command: ["sleep", "600"]
    stop_grace_period: 1s
    depends_on:
      cache: { condition: service_healthy }
`,
      );
      const compose = (...args: string[]) =>
        spawnSync("docker-compose", ["-f", file, "-p", INTEROP, ...args], { encoding: "utf8" });
      const ours = (...args: string[]) =>
        runCli(["-f", file, "--project", INTEROP, ...args], { env: testEnv(), timeoutMs: 90_000 });

      const up = await ours("up");
      assert.equal(up.code, 0, up.stderr);
      const ps = compose("ps");
      assert.equal(ps.status, 0, ps.stderr);
      assert.match(ps.stdout, new RegExp(`${INTEROP}-cache-1 .*Up`));
      assert.match(ps.stdout, new RegExp(`${INTEROP}-worker-1 .*Up`));
      const down = compose("down");
      assert.equal(down.status, 0, down.stderr);
      assert.deepEqual(ids(INTEROP), {});

      const made = compose("up", "-d");
      assert.equal(made.status, 0, made.stderr);
      const theirs = ids(INTEROP);
      const reuse = await ours("up");
      assert.equal(reuse.code, 0, reuse.stderr);
      assert.match(reuse.stderr, /already running \(made by docker compose\)/);
      assert.deepEqual(ids(INTEROP), theirs, "compose's containers are reused as they are");
      const ourDown = await ours("down");
      assert.equal(ourDown.code, 0, ourDown.stderr);
      assert.deepEqual(ids(INTEROP), {});
    },
  );

  test("self-hosted's compose file with a local-images override plans every service in dependency order", async () => {
    const selfHosted = join(CORPUS, "self-hosted", "docker-compose.yml");
    const model = await runCli(["-f", selfHosted, "config", "stack", "--json"], {
      env: testEnv(),
    });
    assert.equal(model.code, 0, model.stderr);
    const services = JSON.parse(model.stdout).services as Record<
      string,
      { depends_on?: Record<string, unknown> }
    >;
    const names = Object.keys(services);
    assert.ok(names.length > 40, `${names.length} services`);
    const override = join(dir, "local-images.yml");
    writeFileSync(
      override,
      `services:\n${
        names.map((n) => `  ${n}:\n    image: sentryctl-test/busybox:latest\n`).join("")
      }`,
    );
    const r = await runCli(
      ["-f", selfHosted, "-f", override, "--project", `converge-sh-${RUN}`, "up", "--dry-run"],
      { env: testEnv() },
    );
    assert.equal(r.code, 0, r.stderr);
    const firstLine = new Map<string, number>();
    r.stdout.split("\n").forEach((line, i) => {
      const m = /^([a-z0-9_-]+)(?: \(after [^)]*\))?: create /.exec(line);
      if (m && !firstLine.has(m[1]!)) firstLine.set(m[1]!, i);
    });
    assert.deepEqual([...firstLine.keys()].sort(), [...names].sort(), "every service planned");
    for (const [name, svc] of Object.entries(services)) {
      for (const dep of Object.keys(svc.depends_on ?? {})) {
        assert.ok(firstLine.get(dep)! < firstLine.get(name)!, `${dep} before ${name}`);
      }
    }
    assert.doesNotMatch(r.stdout, /: (pull|build) /, "the override's local images need no pull");
  });
});
