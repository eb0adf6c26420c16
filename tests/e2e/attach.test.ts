// End-to-end: the compiled binary's `attach` against the real Docker engine (issue #2).
// Images are the locally built test images (scripts/ci/build-test-images.sh).

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createServer, type Socket } from "node:net";
import { existsSync } from "node:fs";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli, testEnv } from "../helpers/cli.ts";
import { cleanupProject, docker, inspect } from "../helpers/docker.ts";
import { configDir } from "../helpers/config-dir.ts";
import { RunningCli } from "../helpers/process.ts";
import { freePort } from "../../src/runtime/free-port.ts";

// A project of its own: clean-up by label must never touch a developer's real `sentry` stack,
// and host ports differ from the defaults so a running stack does not collide either.
const PROJECT = "sctl-e2e-attach";
const C = (service: string) => `${PROJECT}_${service}`;
// Loopback ports free right now: the engine is shared, fixed ports collide with other suites.
const REDIS_PORT = await freePort();
const KAFKA_PORT = await freePort();

const SETTINGS = `
SENTRY_DEVSERVICES:
  redis:
    image: sentryctl-test/redis:7
    command: null
    ports: { "6379/tcp": ${REDIS_PORT} }
  kafka:
    image: sentryctl-test/kafka:standin
    environment: null
    stop_grace_period: 5
    ports: { "9092/tcp": ${KAFKA_PORT} }
  memcached:
    image: sentryctl-test/memcached:1.6
    ports: { "11211/tcp": 21211 }
  exiter:
    image: sentryctl-test/busybox:latest
    command: ["sh", "-c", "echo going away; echo to-stderr >&2; exit 3"]
  stubborn:
    image: sentryctl-test/busybox:latest
    command: ["sh", "-c", "trap '' TERM; echo stubborn ready; while true; do sleep 1; done"]
    stop_grace_period: 60
  pulled:
    image: 127.0.0.1:5000/sentryctl-test/busybox:latest
    command: ["sh", "-c", "echo pulled and running"]
  pulling:
    image: 127.0.0.1:5000/sentryctl-test/busybox:latest
    command: ["sh", "-c", "trap 'exit 0' TERM; echo pulling ready; while true; do sleep 1 & wait $!; done"]
  unpullable:
    image: 127.0.0.1:5000/sentryctl-test/missing:1
  squatted:
    image: sentryctl-test/busybox:latest
    command: ["sh", "-c", "sleep 30"]
    ports: { "7777/tcp": 27777 }
  flappy:
    image: sentryctl-test/busybox:latest
    command: ["sh", "-c", "echo flappy start; sleep 2; exit 1"]
`;

const conf = configDir({ "sentry.conf.yml": SETTINGS });
const env = () => testEnv();
const attach = (...args: string[]) =>
  new RunningCli(["--config", conf, "--project", PROJECT, "attach", ...args], env());

function redisCli(...args: string[]): string {
  return spawnSync("redis-cli", ["-p", String(REDIS_PORT), ...args], { encoding: "utf8" }).stdout
    .trim();
}

describe("attach against a real engine", { timeout: 180_000 }, () => {
  before(() => cleanupProject(PROJECT));
  after(async () => {
    await RunningCli.killAll();
    cleanupProject(PROJECT);
  });

  test("attach redis: logs, ping, labels, network, volume; SIGINT stops and removes; volume reused", async () => {
    const first = attach("redis");
    await first.waitFor(/Ready to accept connections/);
    assert.equal(redisCli("ping"), "PONG");
    assert.equal(redisCli("set", "sentryctl-key", "kept"), "OK");

    const c = inspect("container", C("redis"));
    assert.ok(c, "the redis container exists");
    const labels = c.Config.Labels;
    assert.equal(labels["io.sentry.sentryctl.project"], "sctl-e2e-attach");
    assert.equal(labels["io.sentry.sentryctl.service"], "redis");
    assert.match(labels["io.sentry.sentryctl.config-hash"], /^[0-9a-f]{64}$/);
    assert.ok(labels["io.sentry.sentryctl.version"]);
    assert.ok(c.NetworkSettings.Networks["sctl-e2e-attach"], "joined the project network");
    const mount = c.Mounts.find((m: { Destination: string }) => m.Destination === "/data");
    assert.equal(mount?.Type, "volume");
    assert.equal(mount?.Name, C("redis"));
    assert.deepEqual(c.HostConfig.PortBindings["6379/tcp"], [{
      HostIp: "127.0.0.1",
      HostPort: String(REDIS_PORT),
    }]);
    assert.equal(
      c.HostConfig.RestartPolicy.Name,
      "no",
      "attach runs its container as a foreground process",
    );
    assert.deepEqual(c.HostConfig.ExtraHosts, ["host.docker.internal:host-gateway"]);

    first.signal("SIGINT");
    const exit = await first.exited;
    assert.equal(exit.code, 0, exit.stderr);
    assert.ok(exit.elapsedMs < 10_000, `stopped within the grace period (${exit.elapsedMs} ms)`);
    assert.match(exit.stderr, /Stopping redis/);
    assert.equal(inspect("container", C("redis")), undefined, "container removed");
    assert.ok(inspect("volume", C("redis")), "volume kept");

    const second = attach("redis");
    await second.waitFor(/Ready to accept connections/);
    assert.equal(redisCli("get", "sentryctl-key"), "kept", "data survived in the volume");
    second.signal("SIGTERM");
    const exit2 = await second.exited;
    assert.equal(exit2.code, 0, exit2.stderr);
    assert.equal(inspect("container", C("redis")), undefined);
  });

  test("two SIGINTs in a row kill at once", async () => {
    const run = attach("stubborn", "--skip-only-if");
    await run.waitFor(/stubborn ready/);
    run.signal("SIGINT");
    await run.waitFor(/Stopping stubborn/);
    const t0 = Date.now();
    run.signal("SIGINT");
    const exit = await run.exited;
    assert.ok(
      Date.now() - t0 < 5_000,
      `killed promptly (${Date.now() - t0} ms) despite a 60 s grace period`,
    );
    assert.equal(exit.code, 130);
    assert.equal(inspect("container", C("stubborn")), undefined);
  });

  test("a container that exits by itself: its exit code, left stopped for logs", async () => {
    const exit = await attach("exiter").exited;
    assert.equal(exit.code, 3, exit.stderr);
    assert.match(exit.stdout, /going away/);
    assert.match(exit.stderr, /to-stderr/, "container stderr goes to our stderr");
    assert.match(exit.stderr, /exited with code 3/);
    const c = inspect("container", C("exiter"));
    assert.equal(c?.State.Status, "exited");
    assert.equal(c?.State.ExitCode, 3);
  });

  test("a container Docker restarts is followed across the restart", async () => {
    const run = attach("flappy");
    await run.waitFor(/flappy start/);
    // Give it a restart policy, as a container created by `up` has.
    assert.equal(docker(["update", "--restart=always", C("flappy")]).code, 0);
    await run.waitFor(/flappy start[\s\S]*flappy start/, 20_000);
    run.signal("SIGINT");
    const exit = await run.exited;
    assert.equal(exit.code, 0, exit.stderr);
    const starts = exit.stdout.match(/flappy start/g)?.length ?? 0;
    assert.ok(starts >= 2, `followed across restarts (${starts} starts seen)`);
    assert.equal(inspect("container", C("flappy")), undefined);
  });

  test("kafka stand-in: start-up lines, port 9092 bound on loopback", async () => {
    const run = attach("kafka");
    await run.waitFor(/KafkaServer id=1\] started/);
    const c = inspect("container", C("kafka"));
    assert.deepEqual(c.HostConfig.PortBindings["9092/tcp"], [{
      HostIp: "127.0.0.1",
      HostPort: String(KAFKA_PORT),
    }]);
    assert.ok(inspect("volume", C("kafka")));
    run.signal("SIGTERM");
    assert.equal((await run.exited).code, 0);
  });

  test("unknown service: exit 1 with Sentry's message and the available list", async () => {
    const r = await runCli(["--config", conf, "--project", PROJECT, "attach", "nope"], {
      env: env(),
    });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Service `nope` is not known or not enabled\./);
    assert.match(r.stderr, /Services that are available:\n(?:.*\n)*\s+redis/);
  });

  test("disabled service names its setting; --skip-only-if starts it", async () => {
    const r = await runCli(["--config", conf, "--project", PROJECT, "attach", "memcached"], {
      env: env(),
    });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Service `memcached` is not known or not enabled\./);
    assert.match(r.stderr, /CACHES\["default"\]\["BACKEND"\]/);

    const run = attach("memcached", "--skip-only-if");
    await run.waitFor(/Starting container 'sctl-e2e-attach_memcached'/);
    const c = inspect("container", C("memcached"));
    assert.equal(c?.State.Running, true);
    run.signal("SIGINT");
    assert.equal((await run.exited).code, 0);
  });

  test("a missing image is pulled (local registry); an unpullable one exits 5", async () => {
    const image = "127.0.0.1:5000/sentryctl-test/busybox:latest";
    assert.equal(docker(["tag", "sentryctl-test/busybox:latest", image]).code, 0);
    assert.equal(
      docker(["push", image]).code,
      0,
      "the local registry runs (scripts/ci/registry-start.sh)",
    );
    docker(["rmi", "-f", image]);
    const exit = await attach("pulled").exited;
    assert.equal(exit.code, 0, exit.stderr);
    assert.match(
      exit.stderr,
      /> Pulling image '127\.0\.0\.1:5000\/sentryctl-test\/busybox:latest'/,
    );
    assert.match(exit.stdout, /pulled and running/);

    const bad = await attach("unpullable").exited;
    assert.equal(bad.code, 5, bad.stderr);
    assert.match(
      bad.stderr,
      /error: Docker could not pull image '127\.0\.0\.1:5000\/sentryctl-test\/missing:1'/,
    );
    assert.doesNotMatch(bad.stderr, /\n\s+at /);
  });

  test("a signal during set-up aborts (130) or stops (0), and leaves no container", async () => {
    const image = "127.0.0.1:5000/sentryctl-test/busybox:latest";
    docker(["rmi", "-f", image]);
    // A long-running service: one that exits by itself is rightly left stopped for `logs`.
    const run = attach("pulling");
    await run.waitFor(/> Pulling image/);
    run.signal("SIGINT");
    const exit = await run.exited;
    assert.ok(exit.code === 130 || exit.code === 0, `exit ${exit.code}: ${exit.stderr}`);
    if (exit.code === 130) assert.match(exit.stderr, /Interrupted before pulling started/);
    assert.equal(inspect("container", C("pulling")), undefined);
  });

  test("a host port held by another process: exit 5 naming the process", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(27777, "127.0.0.1", resolve));
    try {
      const exit = await attach("squatted").exited;
      assert.equal(exit.code, 5, exit.stderr);
      assert.match(exit.stderr, /port 27777 is already in use by process \d+ \(/);
      assert.equal(
        inspect("container", C("squatted")),
        undefined,
        "no half-made container left",
      );
    } finally {
      server.close();
    }
  });

  test("devservices attach is the same command", async () => {
    const r = await runCli([
      "--config",
      conf,
      "--project",
      PROJECT,
      "devservices",
      "attach",
      "nope",
    ], { env: env() });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Service `nope` is not known or not enabled\./);
  });
});

describe("attach failures before Docker", () => {
  test("the binary ignores .env and bunfig.toml in the working directory", async () => {
    const cwd = configDir({
      ".env": "SENTRY_CONF=/nonexistent/from-dotenv\nDOCKER_HOST=unix:///nonexistent\n",
      "bunfig.toml": 'preload = ["./preload.ts"]\n',
      "preload.ts": 'import { writeFileSync } from "node:fs"; writeFileSync("preloaded", "yes");\n',
    });
    const r = await runCli(["attach", "nope"], { env: env(), cwd });
    assert.equal(r.code, 1, r.stderr);
    assert.match(
      r.stderr,
      /Service `nope` is not known or not enabled\./,
      "no .env SENTRY_CONF was read",
    );
    assert.equal(existsSync(join(cwd, "preloaded")), false, "bunfig.toml preload did not run");
  });

  test("unreachable DOCKER_HOST: exit 4, the endpoint tried, no stack trace", async () => {
    const r = await runCli(["--config", conf, "--project", PROJECT, "attach", "redis"], {
      env: testEnv({ DOCKER_HOST: "unix:///nonexistent" }),
    });
    assert.equal(r.code, 4);
    assert.match(r.stderr, /Cannot connect to the Docker engine/);
    assert.match(r.stderr, /unix:\/\/\/nonexistent \(from DOCKER_HOST\)/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
  });

  test("a socket nobody listens on, and one that never answers: exit 4 naming why, in time", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sentryctl-sock-"));
    const dead = join(dir, "dead.sock");
    const frozen = join(dir, "frozen.sock");
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(dead, r));
    await new Promise<void>((r) => closed.close(() => r()));
    writeFileSync(dead, ""); // the file stays, nothing listens: a stopped daemon
    const held: Socket[] = [];
    const silent = createServer((socket) => void held.push(socket)); // accepts, never answers
    await new Promise<void>((r) => silent.listen(frozen, r));
    try {
      for (const args of [["ps"], ["up", "redis"]]) {
        const refused = await runCli(["--config", conf, "--project", PROJECT, ...args], {
          env: testEnv({ DOCKER_HOST: `unix://${dead}` }),
        });
        assert.equal(refused.code, 4, refused.stderr);
        assert.match(refused.stderr, /: (ECONNREFUSED: connection refused|ENOTSOCK|ENOENT)/);
        assert.doesNotMatch(refused.stderr, /typo|\n\s+at /);
        const started = Date.now();
        const hung = await runCli(["--config", conf, "--project", PROJECT, ...args], {
          env: testEnv({ DOCKER_HOST: `unix://${frozen}` }),
          timeoutMs: 20_000,
        });
        assert.equal(hung.code, 4, hung.stderr);
        assert.match(hung.stderr, /no answer within 3s/);
        assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
      }
    } finally {
      for (const s of held) s.destroy();
      silent.close();
    }
  });

  test("malformed config.yml: exit 3 naming config.yml:LINE:COL", async () => {
    const bad = configDir({
      "config.yml": "system.url-prefix: http://x\nmail.backend: [unclosed\nother: 1\n",
    });
    const r = await runCli(["--config", bad, "attach", "redis"], { env: env() });
    assert.equal(r.code, 3);
    assert.match(r.stderr, /config\.yml:\d+:\d+: /);
    assert.match(r.stderr, /\^/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });

  test("--config naming a missing directory: exit 3 with Sentry's message", async () => {
    const r = await runCli(["--config", "/nonexistent/conf", "attach", "redis"], { env: env() });
    assert.equal(r.code, 3);
    assert.match(
      r.stderr,
      /Configuration file does not exist\. Use 'sentryctl init' to initialize the file\./,
    );
  });
});
