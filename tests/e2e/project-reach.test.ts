// End-to-end (issue 17, SPEC §3a): containers Debian's docker-compose 1.29 made for a project
// (`<project>_<service>_1`, compose's labels only) are the project's for every command, not
// only `up`/`ps`/`down`: `logs`, `exec`, `healthcheck`, `doctor`, `attach` (and its `--status`
// server) and `serve` (/api/0/status/, /api/0/devservices/, the log stream) reach them. A
// second compose project with the same service name is never reached, and `down` leaves it.
// The project name comes from the file's `.env` (COMPOSE_PROJECT_NAME), which both tools read.
// Cleanup is by the compose project label of this run's two projects only.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli, testEnv } from "../helpers/cli.ts";
import { cleanupComposeProject, composeContainers, inspect } from "../helpers/docker.ts";
import { RunningCli } from "../helpers/process.ts";
import { freePort } from "../../src/runtime/free-port.ts";

const hasCompose = spawnSync("docker-compose", ["version"]).status === 0;
const RUN = `${process.pid}${Math.floor(Math.random() * 1e4)}`;
const P = `reach${RUN}`;
const Q = `reachother${RUN}`;
const PORT = await freePort();
const dir = mkdtempSync(join(tmpdir(), "sentryctl-reach-"));
const otherDir = mkdtempSync(join(tmpdir(), "sentryctl-reach-other-"));
const FILE = join(dir, "compose.yml");
const OTHER = join(otherDir, "compose.yml");

function compose(file: string, args: string[]) {
  return spawnSync("docker-compose", ["-f", file, ...args], {
    encoding: "utf8",
    cwd: join(file, ".."),
    timeout: 120_000,
  });
}

const cli = (args: string[]) =>
  runCli(["-f", FILE, ...args], { env: testEnv(), timeoutMs: 90_000 });

before(() => {
  if (!hasCompose) return;
  cleanupComposeProject(P);
  cleanupComposeProject(Q);
  writeFileSync(join(dir, ".env"), `COMPOSE_PROJECT_NAME=${P}\n`);
  // The file docker-compose 1.29 and sentryctl both read: a healthcheck sentryctl runs as an
  // exec probe, a published port doctor must see as the service's own.
  writeFileSync(
    FILE,
    `services:
  web:
    image: sentryctl-test/busybox:latest
    command: ["sh", "-c", "touch /tmp/ready; echo reach-web-started; exec sleep 600"]
    environment: { REACH_MARK: compose-made }
    stop_grace_period: 1s
    ports: ["127.0.0.1:${PORT}:8080"]
    healthcheck:
      test: ["CMD", "test", "-f", "/tmp/ready"]
      interval: 1s
`,
  );
  // Another project with a service of the same name.
  writeFileSync(
    OTHER,
    `services:
  web:
    image: sentryctl-test/busybox:latest
    command: ["sh", "-c", "echo reach-FOREIGN; exec sleep 600"]
    environment: { REACH_MARK: foreign }
    stop_grace_period: 1s
`,
  );
  mkdirSync(join(dir, "state"));
  writeFileSync(join(dir, "state", "sentry.conf.yml"), "{}\n");
});

after(async () => {
  await RunningCli.killAll();
  if (!hasCompose) return;
  cleanupComposeProject(P);
  cleanupComposeProject(Q);
});

describe("commands reach what docker-compose 1.29 made for the project", {
  timeout: 170_000,
  skip: !hasCompose && "docker-compose is not installed",
}, () => {
  test("logs, exec, healthcheck, doctor, attach and serve find P_web_1; Q's web is never touched", async () => {
    const upP = compose(FILE, ["up", "-d"]);
    assert.equal(upP.status, 0, upP.stderr);
    const upQ = compose(OTHER, ["-p", Q, "up", "-d"]);
    assert.equal(upQ.status, 0, upQ.stderr);
    const web = inspect("container", `${P}_web_1`);
    assert.equal(web?.State.Running, true, "docker-compose 1.29 names it <project>_<service>_1");
    assert.equal(
      web?.Config.Labels["io.sentry.sentryctl.project"],
      undefined,
      "none of our labels",
    );
    const foreign = inspect("container", `${Q}_web_1`);
    assert.equal(foreign?.State.Running, true);

    const logs = await cli(["logs", "web"]);
    assert.equal(logs.code, 0, logs.stderr);
    assert.match(logs.stdout, /reach-web-started/);
    assert.doesNotMatch(logs.stdout, /FOREIGN/);
    const all = await cli(["logs"]);
    assert.equal(all.code, 0, all.stderr);
    assert.match(all.stdout, /^web +\| reach-web-started$/m, all.stdout);
    assert.doesNotMatch(all.stdout, /FOREIGN/);

    const exec = await cli(["exec", "web", "--", "sh", "-c", 'echo "mark=$REACH_MARK"']);
    assert.equal(exec.code, 0, exec.stderr);
    assert.equal(exec.stdout, "mark=compose-made\n");

    const hc = await cli(["healthcheck", "--json"]);
    assert.equal(hc.code, 0, hc.stdout + hc.stderr);
    const health = JSON.parse(hc.stdout) as {
      project: string;
      services: { service: string; healthy: boolean; state: string }[];
    };
    assert.equal(health.project, P);
    assert.deepEqual(health.services.map((s) => [s.service, s.healthy, s.state]), [[
      "web",
      true,
      "running",
    ]]);

    const doctor = await cli(["--config", join(dir, "state"), "doctor"]);
    assert.match(
      doctor.stdout,
      new RegExp(`running +web: ${P}_web_1 \\(made by docker compose\\)`),
      doctor.stdout,
    );
    assert.doesNotMatch(doctor.stdout, /held by|not sentryctl's|foreign /, doctor.stdout);
    assert.doesNotMatch(doctor.stdout, new RegExp(Q), "another project's container is not listed");

    // attach finds the running container (reused as is) and leaves it running on Ctrl-C; its
    // embedded status server shows the file's service by that container.
    const attach = new RunningCli([
      "-f",
      FILE,
      "--config",
      join(dir, "state"),
      "attach",
      "web",
      "--since",
      "1h",
      "--status=127.0.0.1:0",
    ]);
    await attach.waitFor(/reach-web-started/, 60_000);
    await attach.waitFor(/Status server on http:\/\/[^/]+\//, 30_000);
    const embedded = /Status server on (http:\/\/[^/]+)\//.exec(attach.stderr)![1]!;
    const attachToken = readFileSync(join(dir, "state", "status-token"), "utf8").trim();
    const seen = (await (await fetch(`${embedded}/api/0/status/`, {
      headers: { authorization: `Bearer ${attachToken}` },
    })).json()) as { project: string; services: { service: string; container: string }[] };
    assert.equal(seen.project, P);
    assert.deepEqual(seen.services.map((s) => [s.service, s.container]), [["web", `${P}_web_1`]]);
    attach.signal("SIGINT");
    const attached = await attach.exited;
    assert.equal(attached.code, 0, attached.stderr);
    assert.doesNotMatch(attached.stdout, /FOREIGN/);
    assert.equal(inspect("container", `${P}_web_1`)?.Id, web.Id, "not replaced");
    assert.equal(inspect("container", `${P}_web_1`)?.State.Running, true, "left running");

    const serve = new RunningCli(
      ["-f", FILE, "--config", join(dir, "state"), "serve", "--bind", "127.0.0.1:0"],
      testEnv(),
    );
    try {
      await serve.waitFor(/Token file: .+\n/, 30_000);
      const base = /Status server on (http:\/\/[^/]+)\//.exec(serve.stdout)![1]!;
      const token = readFileSync(/Token file: (\S+)/.exec(serve.stdout)![1]!, "utf8").trim();
      const api = (path: string, init: RequestInit = {}) =>
        fetch(`${base}${path}`, { ...init, headers: { authorization: `Bearer ${token}` } });
      const status = (await (await api("/api/0/status/")).json()) as {
        project: string;
        services: { service: string; state: string; container: string; id: string }[];
      };
      assert.equal(status.project, P);
      assert.deepEqual(status.services.map((s) => [s.service, s.state, s.container, s.id]), [[
        "web",
        "running",
        `${P}_web_1`,
        web.Id,
      ]]);
      const list = (await (await api("/api/0/devservices/")).json()) as { container: string }[];
      assert.deepEqual(list.map((s) => s.container), [`${P}_web_1`]);
      // The dashboard's log stream of the service is the compose-made container's.
      const ctl = new AbortController();
      const timer = setTimeout(() => ctl.abort(), 20_000);
      let text = "";
      try {
        const res = await api("/api/0/devservices/web/logs/?tail=all", { signal: ctl.signal });
        assert.equal(res.status, 200);
        const reader = res.body!.getReader();
        const decoder = new TextDecoder();
        while (!text.includes("reach-web-started")) {
          const { value, done } = await reader.read();
          if (done) break;
          text += decoder.decode(value, { stream: true });
        }
        ctl.abort();
      } catch (e) {
        if (!ctl.signal.aborted) throw e;
      } finally {
        clearTimeout(timer);
      }
      assert.match(text, /reach-web-started/);
      assert.doesNotMatch(text, /FOREIGN/);
    } finally {
      serve.signal("SIGTERM");
      await serve.exited;
    }

    // down removes the project's containers whoever made them; the other project's stays.
    const down = await cli(["down"]);
    assert.equal(down.code, 0, down.stderr);
    assert.deepEqual(composeContainers(P), []);
    assert.equal(inspect("container", `${Q}_web_1`)?.State.Running, true, "Q's web untouched");
    assert.equal(inspect("container", `${Q}_web_1`)?.Id, foreign.Id);
  });
});
