// End-to-end against Podman's Docker-compatible API (issue #8 must-show 7): `up`/`down`,
// `ps --json` and `attach` with Ctrl-C. The socket comes from scripts/ci/podman-start.sh
// (`$SENTRYCTL_PODMAN_SOCK`); without it these tests fail rather than pass unseen.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { testEnv } from "../helpers/cli.ts";
import { configDir } from "../helpers/config-dir.ts";
import { RunningCli } from "../helpers/process.ts";
import { projectCli, redisService } from "../helpers/stack.ts";
import { freePort } from "../../src/runtime/free-port.ts";

const SOCK = process.env.SENTRYCTL_PODMAN_SOCK ?? "";
const PROJECT = `engine-podman-${process.pid}`;
// Ports free right now, not fixed ones: Docker hands out ephemeral host ports (`with`) from the
// same range, so a fixed port can be taken by another suite's container.
const REDIS_PORT = await freePort();
const WEB_PORT = await freePort();
const conf = configDir(
  `SENTRY_DEVSERVICES:
${redisService(REDIS_PORT, { healthcheck: true })}  web:
    image: sentryctl-test/busybox:latest
    command: ["sh", "-c", "mkdir -p /www && echo podman > /www/index.html && exec httpd -f -p 8080 -h /www"]
    ports: { "8080/tcp": ${WEB_PORT} }
    depends_on: [redis]
    healthcheck: { http: "http://127.0.0.1:${WEB_PORT}/", timeout_total: 30 }
    stop_grace_period: 1
`,
  "sentryctl-podman-",
);

const env = () => testEnv({ DOCKER_HOST: `unix://${SOCK}` });
const run = projectCli(conf, PROJECT, { env });
const cli = (...args: string[]) => run(args);

function podman(...args: string[]): string {
  return spawnSync("podman", args, { encoding: "utf8" }).stdout ?? "";
}

function cleanup(): void {
  const label = `label=io.sentry.sentryctl.project=${PROJECT}`;
  const ids = podman("ps", "-aq", "--filter", label).split("\n").filter(Boolean);
  if (ids.length > 0) podman("rm", "-f", ...ids);
  const volumes = podman("volume", "ls", "-q", "--filter", label).split("\n").filter(Boolean);
  if (volumes.length > 0) podman("volume", "rm", "-f", ...volumes);
  const networks = podman("network", "ls", "-q", "--filter", label).split("\n").filter(Boolean);
  if (networks.length > 0) podman("network", "rm", "-f", ...networks);
}

describe("against Podman's Docker-compatible API", { timeout: 300_000 }, () => {
  before(() => {
    if (!SOCK || !existsSync(SOCK)) {
      assert.fail(
        "Podman's API socket is needed: run scripts/ci/podman-start.sh STATE_DIR and set " +
          "SENTRYCTL_PODMAN_SOCK=STATE_DIR/podman.sock (scripts/test-all.sh does both)",
      );
    }
    cleanup();
  });
  after(() => {
    if (SOCK) cleanup();
  });

  test("up (dependency, exec and http probes), a second up reuses, ps --json, doctor names Podman, down", async () => {
    const up = await cli("up", "redis", "web");
    assert.equal(up.code, 0, up.stderr);
    assert.match(up.stderr, /> redis: healthy[\s\S]*> web: healthy/);
    assert.equal((await (await fetch(`http://127.0.0.1:${WEB_PORT}/`)).text()).trim(), "podman");
    const again = await cli("up", "redis", "web");
    assert.equal(again.code, 0, again.stderr);
    assert.doesNotMatch(again.stderr, /Creating|Removing/);
    const ps = await cli("ps", "--json");
    assert.equal(ps.code, 0, ps.stderr);
    const services = JSON.parse(ps.stdout) as {
      service: string;
      state: string;
      health: string;
      ports: unknown[];
    }[];
    assert.deepEqual(services.map((s) => [s.service, s.state]), [["redis", "running"], [
      "web",
      "running",
    ]]);
    assert.deepEqual(services[0]!.ports, [{
      container: "6379/tcp",
      hostIp: "127.0.0.1",
      hostPort: REDIS_PORT,
    }]);
    const doctor = await cli("doctor");
    assert.match(
      doctor.stdout,
      /ok {6}unix:\/\/\S+podman\.sock \(from DOCKER_HOST\): Podman \d+\.\d+/,
    );
    const down = await cli("down");
    assert.equal(down.code, 0, down.stderr);
    assert.match(down.stderr, new RegExp(`Removing container '${PROJECT}_redis'`));
    assert.equal(
      podman("ps", "-aq", "--filter", `label=io.sentry.sentryctl.project=${PROJECT}`).trim(),
      "",
    );
  });

  test("attach redis, then Ctrl-C: stopped, removed, exit 0", async () => {
    const run = new RunningCli(["--config", conf, "--project", PROJECT, "attach", "redis"], env());
    await run.waitFor(/Ready to accept connections/, 60_000);
    run.signal("SIGINT");
    const exit = await run.exited;
    assert.equal(exit.code, 0, exit.stderr);
    assert.match(exit.stderr, /Stopping redis/);
    assert.equal(podman("ps", "-aq", "--filter", `name=${PROJECT}_redis`).trim(), "");
  });
});
