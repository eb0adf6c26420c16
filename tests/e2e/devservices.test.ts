// End-to-end: the devservices drop-in (SPEC §3b must-show 1) with the compiled binary invoked
// through a `devservices` link against the real engine. A code root of four git repos (file://
// links): `app` depends on `kv` (remote) which depends on `cache` (nested remote); `app` also
// names `cache` directly (shared) and has a program; `other` depends on `cache` too. Every
// project name carries a random suffix; `after` removes exactly those projects' containers and
// volumes.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { runProgram, sentryctlCommand } from "../helpers/cli.ts";
import { docker } from "../helpers/docker.ts";

const id = Math.random().toString(16).slice(2, 8);
const P = {
  app: `dse${id}-app`,
  kv: `dse${id}-kv`,
  cache: `dse${id}-cache`,
  other: `dse${id}-other`,
};
const work = mkdtempSync(join(tmpdir(), "devsvc-e2e-"));
const home = join(work, "home");
const code = join(work, "code");
const src = join(work, "src");
mkdirSync(join(home, ".config", "sentry-devenv"), { recursive: true });
writeFileSync(
  join(home, ".config", "sentry-devenv", "config.ini"),
  `[devenv]\ncoderoot = ${code}\n`,
);

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: "t",
  GIT_AUTHOR_EMAIL: "t@x",
  GIT_COMMITTER_NAME: "t",
  GIT_COMMITTER_EMAIL: "t@x",
};
function repo(dir: string, yaml: string, extra: Record<string, string> = {}) {
  mkdirSync(join(dir, "devservices"), { recursive: true });
  writeFileSync(join(dir, "devservices", "config.yml"), yaml);
  for (const [f, t] of Object.entries(extra)) writeFileSync(join(dir, f), t);
  for (const args of [["init", "-q", "-b", "main"], ["add", "."], ["commit", "-q", "-m", "init"]]) {
    execFileSync("git", args, { cwd: dir, env: GIT_ENV, stdio: "ignore" });
  }
}

const remote = (repoName: string, mode?: string) =>
  `      remote:\n        repo_name: ${repoName}\n        branch: main\n        repo_link: file://${
    join(src, repoName)
  }\n${mode ? `        mode: ${mode}\n` : ""}`;
const NETWORKS = "networks:\n  devservices:\n    name: devservices\n    external: true\n";
const svc = (name: string, image: string, command: string, test: string, volume?: string) =>
  `  ${name}:\n    image: ${image}\n    command: ${command}\n    healthcheck:\n      test: ${test}\n      interval: 1s\n      timeout: 2s\n      retries: 30\n    labels:\n      - orchestrator=devservices\n    networks:\n      - devservices\n${
    volume ? `    volumes:\n      - ${volume}\n` : ""
  }`;

repo(
  join(src, "cache-repo"),
  `x-sentry-service-config:
  version: 0.1
  service_name: ${P.cache}
  dependencies:
    cache: {description: Shared cache}
  modes:
    default: [cache]
services:
${
    svc(
      "cache",
      "sentryctl-test/redis:7",
      '["redis-server", "--protected-mode", "no"]',
      '["CMD", "redis-cli", "ping"]',
      "cache-data:/data",
    )
  }volumes:
  cache-data:
${NETWORKS}`,
);
repo(
  join(src, "kv-repo"),
  `x-sentry-service-config:
  version: 0.1
  service_name: ${P.kv}
  dependencies:
    kv: {description: Key-value store}
    cache:
      description: Shared cache
${remote("cache-repo")}  modes:
    default: [kv, cache]
    solo: [kv]
services:
${
    svc("kv", "sentryctl-test/busybox:latest", '["sh", "-c", "sleep 3600"]', '["CMD", "true"]')
  }${NETWORKS}`,
);
const appDir = join(code, "app");
repo(
  appDir,
  `x-sentry-service-config:
  version: 0.1
  service_name: ${P.app}
  healthcheck_timeout: 90
  dependencies:
    web: {description: The web container}
    kv:
      description: Key-value store
${remote("kv-repo")}    cache:
      description: Shared cache
${remote("cache-repo")}    worker: {description: A worker}
  modes:
    default: [web, kv]
    full: [web, kv, cache, worker]
x-programs:
  worker:
    command: sh worker.sh
services:
${
    svc("web", "sentryctl-test/busybox:latest", '["sh", "-c", "sleep 3600"]', '["CMD", "true"]')
  }${NETWORKS}`,
  { "worker.sh": 'echo "worker $$ up"\nexec sleep 300\n' },
);
repo(
  join(code, "other"),
  `x-sentry-service-config:
  version: 0.1
  service_name: ${P.other}
  dependencies:
    cache:
      description: Shared cache
${remote("cache-repo")}  modes:
    default: [cache]
services: {}
`,
);

const [bin, ...pre] = sentryctlCommand();
const compiled = pre.length === 0;
const link = join(work, "devservices");
if (compiled) symlinkSync(bin!, link);
const env = {
  PATH: process.env.PATH,
  HOME: home,
  CI: "true",
  NO_COLOR: "1",
  SENTRY_CONF: join(work, "state"),
};

function dev(args: string[], cwd = appDir, timeoutMs = 180_000) {
  const [cmd, ...first] = compiled ? [link] : [bin!, ...pre, "devservices"];
  return runProgram(cmd!, [...first, ...args], { cwd, env, timeoutMs });
}

function containers(project: string): { name: string; state: string }[] {
  const r = docker([
    "ps",
    "-a",
    "--filter",
    `label=com.docker.compose.project=${project}`,
    "--format",
    "{{.Names}} {{.State}}",
  ]);
  return r.stdout.split("\n").filter(Boolean).map((l) => {
    const [name, state] = l.split(" ");
    return { name: name!, state: state! };
  });
}
const running = (project: string) =>
  containers(project).filter((c) => c.state === "running").map((c) => c.name).sort();

after(async () => {
  await dev(["down"], appDir, 60_000).catch(() => {});
  const pidFile = join(work, "state", "programs", P.app, "supervisor.pid");
  if (existsSync(pidFile)) {
    try {
      process.kill(Number(readFileSync(pidFile, "utf8")), "SIGTERM");
    } catch {
      // gone
    }
  }
  for (const project of Object.values(P)) {
    const ids = docker(["ps", "-aq", "--filter", `label=com.docker.compose.project=${project}`])
      .stdout.split("\n").filter(Boolean);
    if (ids.length) docker(["rm", "-f", ...ids]);
    const vols = docker([
      "volume",
      "ls",
      "-q",
      "--filter",
      `label=com.docker.compose.project=${project}`,
    ]).stdout.split("\n").filter(Boolean);
    if (vols.length) docker(["volume", "rm", "-f", ...vols]);
  }
  rmSync(work, { recursive: true, force: true });
});

test(
  "devservices: modes, nested and shared remotes, programs, down, cache fallback, toggle, reset, purge",
  { timeout: 900_000 },
  async () => {
    // The plan first: dependencies first, the shared cache once.
    const plan = await dev(["up", "--mode", "full", "--dry-run", "--json"]);
    assert.equal(plan.code, 0, plan.stderr);
    assert.deepEqual(JSON.parse(plan.stdout), {
      projects: [
        { name: P.cache, mode: "default", services: ["cache"], programs: [] },
        { name: P.kv, mode: "default", services: ["kv"], programs: [] },
        { name: P.app, mode: "full", services: ["web"], programs: ["worker"] },
      ],
    });
    assert.ok(
      existsSync(
        join(home, ".cache/sentry-devservices/dependencies/v1/kv-repo/devservices/config.yml"),
      ),
    );

    const up = await dev(["up", "--mode", "full"]);
    assert.equal(up.code, 0, up.stderr);
    assert.match(up.stderr, new RegExp(`Starting '${P.app}' in mode: 'full'`));
    assert.deepEqual(running(P.cache), [`${P.cache}-cache-1`]);
    assert.deepEqual(running(P.kv), [`${P.kv}-kv-1`]);
    assert.deepEqual(running(P.app), [`${P.app}-web-1`]);
    for (const c of [`${P.cache}-cache-1`, `${P.kv}-kv-1`, `${P.app}-web-1`]) {
      const nets =
        docker(["inspect", "-f", "{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}", c])
          .stdout;
      assert.match(nets, /\bdevservices\b/, `${c} on devservices`);
      // sentryctl's own probe passed (up returned); Docker's HEALTHCHECK, run at its interval,
      // agrees soon after.
      const health = () => docker(["inspect", "-f", "{{.State.Health.Status}}", c]).stdout.trim();
      for (let i = 0; i < 60 && health() !== "healthy"; i++) {
        await new Promise((r) => setTimeout(r, 500));
      }
      assert.equal(health(), "healthy", c);
    }
    // Reachable by service name across projects.
    const pong = docker([
      "exec",
      `${P.app}-web-1`,
      "sh",
      "-c",
      "printf 'PING\\r\\n' | nc -w 2 cache 6379",
    ]);
    assert.match(pong.stdout, /\+PONG/);

    const st = await dev(["status", "--json"]);
    assert.equal(st.code, 0, st.stderr);
    const doc = JSON.parse(st.stdout);
    assert.deepEqual(doc.projects.map((p: { name: string }) => p.name), [P.cache, P.kv, P.app]);
    const worker = doc.projects[2].programs[0];
    assert.equal(worker.name, "worker");
    assert.equal(worker.state, "running");
    assert.ok(worker.pid > 0);
    assert.equal(doc.projects[0].containers[0].health, "healthy");

    const deps = await dev(["list-dependencies"]);
    assert.equal(
      deps.stdout,
      `Dependencies of ${P.app}:\n- web : The web container\n- kv : Key-value store\n- cache : Shared cache\n- worker : A worker\n`,
    );

    // Another service shares the cache; down of app leaves it for them.
    const other = await dev(["up", P.other], work);
    assert.equal(other.code, 0, other.stderr);
    const ls = await dev(["ls"], work);
    assert.match(
      ls.stdout,
      new RegExp(`- ${P.app}\\n {2}modes: \\['full'\\]\\n {2}status: started`),
    );
    assert.match(ls.stdout, new RegExp(`- ${P.other}\\n {2}modes: \\['default'\\]`));

    const down = await dev(["down"]);
    assert.equal(down.code, 0, down.stderr);
    assert.match(down.stderr, new RegExp(`Leaving '${P.cache}' running: needed by '${P.other}'`));
    assert.deepEqual(running(P.cache), [`${P.cache}-cache-1`]);
    assert.deepEqual(running(P.kv), []);
    assert.deepEqual(running(P.app), []);
    assert.equal(containers(P.app).length, 1, "down stops, it does not remove");
    assert.equal(alive(worker.pid), false, "the program stopped");

    // The kv repo disappears upstream: the cached copy still brings it up, with a warning.
    renameSync(join(src, "kv-repo"), join(src, "kv-repo.gone"));
    const cached = await dev(["up"]);
    assert.equal(cached.code, 0, cached.stderr);
    assert.match(cached.stderr, /Could not fetch 'kv-repo': .+; using the cached copy/);
    assert.deepEqual(running(P.kv), [`${P.kv}-kv-1`]);

    // toggle: a dependency set to run locally is skipped with --exclude-local.
    const tog = await dev(["toggle", P.other, "local"], work);
    assert.equal(tog.code, 0, tog.stderr);
    assert.match(tog.stderr, new RegExp(`${P.other} is now running in local runtime`));
    const tog2 = await dev(["toggle", P.other, "containerized"], work);
    assert.match(tog2.stderr, new RegExp(`${P.other} is running, please stop it first`));

    // reset: brings down what uses the cache, removes its container and volume.
    const reset = await dev(["reset", "cache"], work);
    assert.equal(reset.code, 0, reset.stderr);
    assert.deepEqual(containers(P.cache), []);
    assert.equal(
      docker(["volume", "ls", "-q", "--filter", `name=${P.cache}_cache-data`]).stdout.trim(),
      "",
      "its volume is gone",
    );
    const after1 = await dev(["ls"], work);
    assert.match(after1.stdout, /^Running services:\n\n/);

    // purge: asks without -y (no terminal: refuses), then removes everything of these projects.
    const ask = await dev(["purge"], work);
    assert.equal(ask.code, 1);
    assert.match(ask.stderr, /pass -y/);
    const purge = await dev(["purge", "-y"], work);
    assert.equal(purge.code, 0, purge.stderr);
    for (const p of Object.values(P)) assert.deepEqual(containers(p), [], p);
    assert.equal(existsSync(join(home, ".cache/sentry-devservices")), false);
    if (docker(["network", "inspect", "devservices"]).code !== 0) {
      docker([
        "network",
        "create",
        "devservices",
      ]);
    }
  },
);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
