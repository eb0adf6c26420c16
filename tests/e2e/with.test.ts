// End-to-end: `with` and `run` (issue #12) — the compiled binary against the real engine.
// Every `with` here makes its own `sentry-with-<id>` project (read from its "Project '…'" line);
// `after` removes exactly those (and the --reuse test's own project), even when a test failed.

import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type CliResult, runCli, sentryctlCommand, testEnv } from "../helpers/cli.ts";
import { cleanupProject, docker } from "../helpers/docker.ts";
import { RunningCli } from "../helpers/process.ts";
import { schemaErrors } from "../helpers/schema.ts";

const REUSE_PROJECT = "ci-helper-with-reuse";
const PS_PROJECT = "ci-helper-with-ps";
const conf = mkdtempSync(join(tmpdir(), "sentryctl-with-conf-"));
writeFileSync(
  join(conf, "sentry.conf.yml"),
  `
SENTRY_DEVSERVICES:
  redis:
    image: sentryctl-test/redis:7
    command: null
    ports: { "6379/tcp": 26379 }
  kafka:
    image: sentryctl-test/kafka:standin
    stop_grace_period: 2
  never-ready:
    image: sentryctl-test/busybox:latest
    command: ["sh", "-c", "echo not ready yet; sleep 300"]
    ports: { "7000/tcp": 27000 }
    healthcheck: { exec: ["false"], interval: 1, timeout_total: 60 }
`,
);

const made = new Set<string>();
function remember(stderr: string): string | undefined {
  const project = /Project '(sentry-with-[0-9a-f]{8})'/.exec(stderr)?.[1];
  if (project) made.add(project);
  return project;
}

const env = (extra: Record<string, string> = {}) => testEnv({ SENTRY_CONF: conf, ...extra });

async function withRun(args: string[], extra: Record<string, string> = {}): Promise<CliResult> {
  const r = await runCli(["with", ...args], { env: env(extra), timeoutMs: 120_000 });
  remember(r.stderr);
  return r;
}

function lines(args: string[]): string[] {
  return docker(args).stdout.split("\n").filter(Boolean);
}

/** Nothing labelled with the project, and no network or volume by its name. */
function assertGone(project: string) {
  const label = `label=io.sentry.sentryctl.project=${project}`;
  assert.deepEqual(lines(["ps", "-aq", "--filter", label]), [], `containers of ${project}`);
  assert.deepEqual(lines(["volume", "ls", "-q", "--filter", label]), [], `volumes of ${project}`);
  assert.deepEqual(lines(["network", "ls", "-q", "--filter", label]), [], `networks of ${project}`);
  assert.deepEqual(lines(["network", "ls", "-q", "--filter", `name=^${project}$`]), []);
  assert.deepEqual(lines(["volume", "ls", "-q", "--filter", `name=${project}`]), []);
}

describe("with/run against a real engine", { timeout: 300_000 }, () => {
  after(() => {
    for (const project of made) cleanupProject(project);
    cleanupProject(REUSE_PROJECT);
    cleanupProject(PS_PROJECT);
  });

  test("with redis: PONG through the exported port, exit 0; exit 7 passes through; nothing remains", async () => {
    const ok = await withRun(["redis", "--", "sh", "-c", 'redis-cli -p "$SENTRY_REDIS_PORT" ping']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.stdout.trim(), "PONG");
    const project = remember(ok.stderr)!;
    assert.match(project, /^sentry-with-[0-9a-f]{8}$/);
    assertGone(project);

    const seven = await withRun(["redis", "--", "sh", "-c", "exit 7"]);
    assert.equal(seven.code, 7, seven.stderr);
    assertGone(remember(seven.stderr)!);
  });

  test("the exported variables: host, ephemeral port, per-port and URL", async () => {
    const r = await withRun(["redis", "--", "sh", "-c", "env | grep ^SENTRY_ | sort"]);
    assert.equal(r.code, 0, r.stderr);
    const vars = Object.fromEntries(r.stdout.trim().split("\n").map((l) => l.split(/=(.*)/s, 2)));
    assert.equal(vars.SENTRY_REDIS_HOST, "127.0.0.1");
    assert.match(vars.SENTRY_REDIS_PORT!, /^[0-9]+$/);
    assert.notEqual(vars.SENTRY_REDIS_PORT, "26379", "isolated runs do not use the fixed port");
    assert.equal(vars.SENTRY_REDIS_PORT_6379, vars.SENTRY_REDIS_PORT);
    assert.equal(vars.SENTRY_REDIS_URL, `redis://127.0.0.1:${vars.SENTRY_REDIS_PORT}/0`);
  });

  test("with kafka: the advertised listener names the published port, and the URL var is set", async () => {
    const script = 'echo "$SENTRY_KAFKA_BOOTSTRAP_SERVERS"; ' +
      'docker ps --filter "publish=$SENTRY_KAFKA_PORT" --format "{{.Names}}" | ' +
      "xargs docker inspect -f '{{range .Config.Env}}{{println .}}{{end}}' | " +
      "grep ^KAFKA_ADVERTISED_LISTENERS=";
    const r = await withRun(["kafka", "--", "sh", "-c", script]);
    assert.equal(r.code, 0, r.stderr);
    const [bootstrap, advertised] = r.stdout.trim().split("\n");
    const port = /^127\.0\.0\.1:([0-9]+)$/.exec(bootstrap!)?.[1];
    assert.ok(port, `bootstrap servers: ${bootstrap}`);
    assert.notEqual(port, "9092");
    assert.match(advertised!, new RegExp(`EXTERNAL://127\\.0\\.0\\.1:${port}(,|$)`));
    assertGone(remember(r.stderr)!);
  });

  test("two with runs at the same time both succeed, each on its own project and port", async () => {
    const script = 'redis-cli -p "$SENTRY_REDIS_PORT" set k "$$" >/dev/null; sleep 1; ' +
      'test "$(redis-cli -p "$SENTRY_REDIS_PORT" get k)" = "$$" && echo "$SENTRY_REDIS_PORT"';
    const [a, b] = await Promise.all([
      withRun(["redis", "--", "sh", "-c", script]),
      withRun(["redis", "--", "sh", "-c", script]),
    ]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    assert.notEqual(a.stdout.trim(), b.stdout.trim());
    const pa = remember(a.stderr)!;
    const pb = remember(b.stderr)!;
    assert.notEqual(pa, pb);
    assertGone(pa);
    assertGone(pb);
  });

  test("global flags end at '--': `-v` belongs to the command", async () => {
    const r = await withRun(["redis", "--timeout", "0", "--", "pytest", "-v"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^error: --timeout needs a number of seconds/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace: -v after -- is not ours");
    const seen = await withRun(["redis", "--", "sh", "-c", 'echo "$@"', "sh", "-v", "--verbose"]);
    assert.equal(seen.code, 0, seen.stderr);
    assert.equal(seen.stdout.trim(), "-v --verbose");
  });

  test("a command that does not exist: 127, and the project is still removed", async () => {
    const r = await withRun(["redis", "--", "no-such-command-sentryctl"]);
    assert.equal(r.code, 127);
    assert.match(r.stderr, /cannot run 'no-such-command-sentryctl': command not found/);
    assertGone(remember(r.stderr)!);
  });

  test("a service that never gets healthy: exit 6 after --timeout, its log shown, nothing left", async () => {
    const r = await withRun([
      "never-ready",
      "--timeout",
      "3",
      "--",
      "sh",
      "-c",
      "echo must-not-run",
    ]);
    assert.equal(r.code, 6, r.stderr);
    assert.equal(r.stdout, "", "CMD never ran");
    assert.match(r.stderr, /never-ready did not become healthy within/);
    assert.match(r.stderr, /not ready yet/);
    assertGone(remember(r.stderr)!);
  });

  test("--keep leaves the isolated project, without a session label, so no sweep takes it", async () => {
    const r = await withRun(["--keep", "redis", "--", "true"]);
    assert.equal(r.code, 0, r.stderr);
    const project = remember(r.stderr)!;
    assert.match(r.stderr, new RegExp(`Keeping '${project}' \\(--keep\\)`));
    const label = `label=io.sentry.sentryctl.project=${project}`;
    const ids = lines(["ps", "-q", "--filter", label]);
    assert.equal(ids.length, 1);
    const labels = JSON.parse(docker(["inspect", ids[0]!]).stdout)[0].Config.Labels;
    assert.equal(labels["io.sentry.sentryctl.owner"], "with");
    assert.equal(labels["io.sentry.sentryctl.session"], undefined);
    const sweep = await runCli(["down", "--orphans"], { env: env() });
    assert.equal(sweep.code, 0);
    assert.equal(lines(["ps", "-q", "--filter", label]).length, 1, "still there");
    // What the message says to run removes it all.
    assert.match(r.stderr, new RegExp(`sentryctl --project ${project} rm -y`));
    const rm = await runCli(["--project", project, "rm", "-y"], { env: env() });
    assert.equal(rm.code, 0, rm.stderr);
    assertGone(project);
  });

  test("an unknown service fails before anything is created (exit 1)", async () => {
    const r = await withRun(["nosuchservice", "--", "true"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Service `nosuchservice` is not known or not enabled/);
  });

  test("--reuse uses the normal project and its fixed port, and tears nothing down", async () => {
    const r = await runCli(
      [
        "--project",
        REUSE_PROJECT,
        "with",
        "--reuse",
        "redis",
        "--",
        "sh",
        "-c",
        'echo "$SENTRY_REDIS_PORT"',
      ],
      { env: env(), timeoutMs: 120_000 },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), "26379");
    const running = lines([
      "ps",
      "-q",
      "--filter",
      `label=io.sentry.sentryctl.project=${REUSE_PROJECT}`,
    ]);
    assert.equal(running.length, 1, "the redis container stays");
    cleanupProject(REUSE_PROJECT); // frees the fixed port for the up/ps test
  });

  describe("shebang scripts", () => {
    const bin = mkdtempSync(join(tmpdir(), "sentryctl-bin-"));
    const [cmd, ...pre] = sentryctlCommand();
    if (pre.length === 0) symlinkSync(cmd!, join(bin, "sentryctl"));
    else {
      writeFileSync(join(bin, "sentryctl"), `#!/bin/sh\nexec ${[cmd, ...pre].join(" ")} "$@"\n`);
      chmodSync(join(bin, "sentryctl"), 0o755);
    }
    const dir = mkdtempSync(join(tmpdir(), "sentryctl-scripts-"));
    const pathEnv = { PATH: `${bin}:${process.env.PATH}` };

    async function runScript(path: string, args: string[]): Promise<CliResult> {
      const { spawn } = await import("node:child_process");
      return await new Promise((resolve, reject) => {
        const child = spawn(path, args, { env: env(pathEnv), stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        child.on("error", reject);
        child.on("close", (code, signal) => {
          remember(stderr);
          resolve({ code, signal, stdout, stderr });
        });
      });
    }

    test("sh script run directly: arguments, services, its exit code", async () => {
      const path = join(dir, "check redis.sh");
      writeFileSync(
        path,
        [
          "#!/usr/bin/env -S sentryctl run --with redis",
          'echo "0=$0"',
          'echo "args=$#:$1|$2"',
          'redis-cli -p "$SENTRY_REDIS_PORT" ping',
          "exit 5",
          "",
        ].join("\n"),
      );
      chmodSync(path, 0o755);
      const r = await runScript(path, ["one arg", "-v"]);
      assert.equal(r.code, 5, r.stderr);
      assert.deepEqual(r.stdout.trim().split("\n"), [`0=${path}`, "args=2:one arg|-v", "PONG"]);
      assertGone(remember(r.stderr)!);
    });

    test("python3 script run directly: __file__, argv, line numbers, exit code", async () => {
      const path = join(dir, "check.py");
      writeFileSync(
        path,
        [
          "#!/usr/bin/env -S sentryctl run --with redis --interpreter python3",
          "import os, socket, sys",
          "s = socket.create_connection(('127.0.0.1', int(os.environ['SENTRY_REDIS_PORT'])))",
          "s.sendall(b'PING\\r\\n')",
          "print(s.recv(64).decode().strip())",
          "print(__file__ == sys.argv[0], sys.argv[1:])",
          "import inspect; print('line', inspect.currentframe().f_lineno)",
          "sys.exit(9)",
          "",
        ].join("\n"),
      );
      chmodSync(path, 0o755);
      const r = await runScript(path, ["a", "--b"]);
      assert.equal(r.code, 9, r.stderr);
      assert.deepEqual(r.stdout.trim().split("\n"), ["+PONG", "True ['a', '--b']", "line 7"]);
      assertGone(remember(r.stderr)!);
    });

    test("`sentryctl run FILE` reads the options from the file's #! line; flags override", async () => {
      const path = join(dir, "plain.sh");
      writeFileSync(
        path,
        '#!/usr/bin/env -S sentryctl run --with redis\necho "port=${SENTRY_REDIS_PORT:-none}"\n',
      );
      const r = await runCli(["run", path], { env: env(), timeoutMs: 120_000 });
      remember(r.stderr);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^port=[0-9]+\n$/);
      const none = await runCli(["run", "--with", "", "--interpreter", "bash", path], {
        env: env(),
      });
      assert.equal(none.code, 0, none.stderr);
      assert.equal(none.stdout, "port=none\n");
      const missing = await runCli(["run", join(dir, "nope.sh")], { env: env() });
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /cannot read '.*nope.sh': no such file/);
    });
  });

  test("SIGTERM during with reaches the child, everything is removed, exit 143", async () => {
    const marker = join(mkdtempSync(join(tmpdir(), "sentryctl-mark-")), "term");
    const p = new RunningCli(
      [
        "with",
        "redis",
        "--",
        "sh",
        "-c",
        `trap 'echo got-term > ${marker}; exit 3' TERM; echo child-ready; while :; do sleep 0.1; done`,
      ],
      env(),
    );
    await p.waitFor(/child-ready/, 90_000);
    p.signal("SIGTERM");
    const trapped = await p.exited;
    const project = remember(trapped.stderr)!;
    assert.equal(trapped.code, 3, trapped.stderr);
    assert.equal(readFileSync(marker, "utf8"), "got-term\n");
    assertGone(project);

    const q = new RunningCli(
      ["with", "redis", "--", "sh", "-c", "echo child-ready; exec sleep 60"],
      env(),
    );
    await q.waitFor(/child-ready/, 90_000);
    q.signal("SIGTERM");
    const died = await q.exited;
    assert.equal(died.code, 143, died.stderr);
    assertGone(remember(died.stderr)!);
  });

  test("SIGINT while the services start: nothing is left, exit 130", async () => {
    const p = new RunningCli(["with", "redis", "--", "true"], env());
    await p.waitFor(/Creating container/, 60_000);
    p.signal("SIGINT");
    const r = await p.exited;
    const project = remember(r.stderr)!;
    assert.equal(r.code, 130, r.stderr);
    assertGone(project);
  });

  test("SIGKILL during with: the next command that talks to Docker (ps) removes the orphans", async () => {
    const p = new RunningCli(
      ["with", "redis", "--", "sh", "-c", "echo child=$$; exec sleep 120"],
      env(),
    );
    await p.waitFor(/child=\d+/, 90_000);
    const child = Number(/child=(\d+)/.exec(p.stdout)![1]);
    const project = remember(p.stderr)!;
    p.signal("SIGKILL");
    // The child holds the pipes open; without its owner it is ours to stop.
    process.kill(child, "SIGKILL");
    await p.exited;
    const label = `label=io.sentry.sentryctl.project=${project}`;
    assert.equal(lines(["ps", "-q", "--filter", label]).length, 1, "orphan still running");

    const next = await withRun(["--dry-run", "redis"]);
    assert.equal(next.code, 0);
    assert.equal(
      lines(["ps", "-q", "--filter", label]).length,
      1,
      "--dry-run does not talk to Docker",
    );

    const ps = await runCli(["--project", PS_PROJECT, "ps"], { env: env() });
    assert.equal(ps.code, 0, ps.stderr);
    assert.match(ps.stderr, new RegExp(`Removed orphaned container '${project}_redis'`));
    assertGone(project);
  });

  test("down --orphans removes only orphans; a live with run and the project's own stack stay", async () => {
    const live = new RunningCli([
      "with",
      "redis",
      "--",
      "sh",
      "-c",
      "echo live-ready; exec sleep 60",
    ], env());
    const dead = new RunningCli([
      "with",
      "redis",
      "--",
      "sh",
      "-c",
      "echo child=$$; exec sleep 120",
    ], env());
    try {
      await live.waitFor(/live-ready/, 90_000);
      await dead.waitFor(/child=\d+/, 90_000);
      const liveProject = remember(live.stderr)!;
      const deadProject = remember(dead.stderr)!;
      dead.signal("SIGKILL");
      process.kill(Number(/child=(\d+)/.exec(dead.stdout)![1]), "SIGKILL");
      await dead.exited;

      const r = await runCli(["down", "--orphans"], { env: env() });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, new RegExp(`Removed orphaned container '${deadProject}_redis'`));
      assert.doesNotMatch(r.stderr, new RegExp(liveProject));
      assertGone(deadProject);
      const liveLabel = `label=io.sentry.sentryctl.project=${liveProject}`;
      assert.equal(
        lines(["ps", "-q", "--filter", liveLabel]).length,
        1,
        "the live run keeps its redis",
      );

      const again = await runCli(["down", "--orphans"], { env: env() });
      assert.equal(again.code, 0);
      assert.match(again.stderr, /No orphaned containers/);
      const bad = await runCli(["down", "--orphans", "redis"], { env: env() });
      assert.equal(bad.code, 2);
    } finally {
      live.signal("SIGTERM");
      await live.exited;
      remember(live.stderr);
    }
  });

  test("up --json and ps --json validate against schemas/service.schema.json", async () => {
    const up = await runCli(["--project", PS_PROJECT, "up", "redis", "--json"], {
      env: env(),
      timeoutMs: 120_000,
    });
    assert.equal(up.code, 0, up.stderr);
    const upDoc = JSON.parse(up.stdout);
    assert.ok(Array.isArray(upDoc) && upDoc.length === 1, up.stdout);
    assert.equal(upDoc[0].service, "redis");
    assert.equal(upDoc[0].health, "healthy");
    for (const item of upDoc) assert.deepEqual(schemaErrors("service.schema.json", item), []);

    const ps = await runCli(["--project", PS_PROJECT, "ps", "--json"], { env: env() });
    assert.equal(ps.code, 0, ps.stderr);
    const psDoc = JSON.parse(ps.stdout);
    assert.equal(psDoc.length, 1);
    assert.equal(psDoc[0].container, `${PS_PROJECT}_redis`);
    for (const item of psDoc) assert.deepEqual(schemaErrors("service.schema.json", item), []);
    assert.notDeepEqual(
      schemaErrors("service.schema.json", { ...psDoc[0], state: "sleeping" }),
      [],
      "the schema does reject a wrong document",
    );
  });
});

describe("with --dry-run --json (no Docker)", () => {
  test("one JSON document on stdout naming what would start and be exported", async () => {
    const r = await runCli(["with", "redis", "--dry-run", "--json", "--", "pytest", "-x"], {
      env: env(),
    });
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.match(doc.project, /^sentry-with-[0-9a-f]{8}$/);
    assert.equal(doc.isolated, true);
    assert.deepEqual(doc.services, [{
      name: "redis",
      image: "sentryctl-test/redis:7",
      after: [],
      ports: [{ container: "6379/tcp", host: "127.0.0.1", hostPort: null }],
    }]);
    assert.deepEqual(doc.env, {
      SENTRY_REDIS_HOST: "127.0.0.1",
      SENTRY_REDIS_PORT: null,
      SENTRY_REDIS_PORT_6379: null,
      SENTRY_REDIS_URL: null,
    });
    assert.deepEqual(doc.command, ["pytest", "-x"]);
    assert.deepEqual(schemaErrors("with-dry-run.schema.json", doc), []);
    const reuse = await runCli(["with", "--reuse", "redis", "--dry-run", "--json"], { env: env() });
    const reused = JSON.parse(reuse.stdout);
    assert.equal(reused.env.SENTRY_REDIS_PORT, "26379");
    assert.deepEqual(schemaErrors("with-dry-run.schema.json", reused), []);
    assert.notDeepEqual(
      schemaErrors("with-dry-run.schema.json", { ...reused, env: { OTHER: "x" } }),
      [],
      "the schema does reject a wrong document",
    );
    assert.equal(
      docker(["ps", "-aq", "--filter", `label=io.sentry.sentryctl.project=${doc.project}`]).stdout,
      "",
    );
  });

  test("--json without --dry-run is a usage error", async () => {
    const r = await runCli(["with", "redis", "--json", "--", "true"], { env: env() });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--json goes with --dry-run/);
  });
});
