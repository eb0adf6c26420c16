// devservices `up` of a mode reaching three projects, to healthy (SPEC §9: ≤ 0.5×), against a
// model of getsentry/devservices' own method on the same files: `docker-compose up -d` per
// project, all in parallel, then every container's health polled with `docker inspect` every
// 5 s until healthy. Both start cold (the projects' containers removed) in alternating turns;
// both end with every container healthy, checked after each run.
//
// Needs the test images (scripts/ci/build-test-images.sh), git and `docker-compose` (1.29).
// Usage: bun bench/devservices.ts [RUNS=5]

import { execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { quantile } from "./lib.ts";

const RUNS = Number(process.argv[2] ?? 5);
const ROOT = resolve(import.meta.dirname ?? ".", "..");
const BIN = process.env.SENTRYCTL_BIN ?? join(ROOT, "dist/sentryctl");
const work = mkdtempSync(join(tmpdir(), "devsvc-bench-"));
const home = join(work, "home");
const PROJECTS = ["dsbench-app", "dsbench-cache", "dsbench-kv"];

function service(name: string, image: string, command: string, test: string): string {
  return `  ${name}:
    image: ${image}
    command: ${command}
    healthcheck:
      test: ${test}
      interval: 1s
      timeout: 2s
      retries: 30
    labels:
      - orchestrator=devservices
    networks:
      - devservices
`;
}

function config(name: string, deps: Record<string, string | undefined>, services: string): string {
  const lines = Object.entries(deps).map(([dep, repo]) =>
    repo
      ? `    ${dep}:\n      description: ${dep}\n      remote:\n        repo_name: ${repo}\n        branch: main\n        repo_link: file://${
        join(work, "src", repo)
      }\n`
      : `    ${dep}:\n      description: ${dep}\n`
  ).join("");
  return `x-sentry-service-config:
  version: 0.1
  service_name: ${name}
  dependencies:
${lines}  modes:
    default: [${Object.keys(deps).join(", ")}]
services:
${services}networks:
  devservices:
    name: devservices
    external: true
`;
}

const SLEEP = '["sh", "-c", "sleep 3600"]';
const files: Record<string, string> = {
  "dsbench-cache": config(
    "dsbench-cache",
    { cache: undefined },
    service("cache", "sentryctl-test/redis:7", '["redis-server"]', '["CMD", "redis-cli", "ping"]'),
  ),
  "dsbench-kv": config(
    "dsbench-kv",
    { kv: undefined, "kv-worker": undefined },
    service("kv", "sentryctl-test/busybox:latest", SLEEP, '["CMD", "true"]') +
      service("kv-worker", "sentryctl-test/busybox:latest", SLEEP, '["CMD", "true"]'),
  ),
  "dsbench-app": config(
    "dsbench-app",
    { cache: "dsbench-cache", kv: "dsbench-kv", web: undefined },
    service("web", "sentryctl-test/busybox:latest", SLEEP, '["CMD-SHELL", "test -d /tmp"]'),
  ),
};

const git = (cwd: string, ...args: string[]) =>
  execFileSync("git", args, {
    cwd,
    stdio: "ignore",
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "b",
      GIT_AUTHOR_EMAIL: "b@x",
      GIT_COMMITTER_NAME: "b",
      GIT_COMMITTER_EMAIL: "b@x",
    },
  });

for (const [name, text] of Object.entries(files)) {
  const dir = name === "dsbench-app" ? join(work, "code", name) : join(work, "src", name);
  mkdirSync(join(dir, "devservices"), { recursive: true });
  writeFileSync(join(dir, "devservices", "config.yml"), text);
  if (name !== "dsbench-app") {
    git(dir, "init", "-q", "-b", "main");
    git(dir, "add", ".");
    git(dir, "commit", "-q", "-m", "bench");
  }
}
const appDir = join(work, "code", "dsbench-app");
const link = join(work, "devservices");
symlinkSync(BIN, link);
const env = {
  ...process.env,
  HOME: home,
  CI: "true",
  NO_COLOR: "1",
  SENTRY_CONF: join(work, "state"),
};

function containersOf(project: string): string[] {
  const r = spawnSync("docker", [
    "ps",
    "-aq",
    "--filter",
    `label=com.docker.compose.project=${project}`,
  ]);
  return r.stdout.toString().split("\n").filter(Boolean);
}

function cold(): void {
  const ids = PROJECTS.flatMap(containersOf);
  if (ids.length) spawnSync("docker", ["rm", "-f", ...ids], { stdio: "ignore" });
  rmSync(join(work, "state"), { recursive: true, force: true });
}

function healthyCount(): number {
  const ids = PROJECTS.flatMap(containersOf);
  if (!ids.length) return 0;
  const r = spawnSync("docker", ["inspect", "-f", "{{.State.Health.Status}}", ...ids]);
  return r.stdout.toString().split("\n").filter((l) => l === "healthy").length;
}

function run(argv: string[], cwd: string): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(argv[0]!, argv.slice(1), { cwd, env, stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    child.stderr.on("data", (d) => (err += d));
    child.on("close", (code) => code === 0 ? done() : fail(new Error(`${argv.join(" ")}: ${err}`)));
  });
}

async function ours(): Promise<void> {
  await run([link, "up"], appDir);
}

/** devservices' method: compose up -d per project in parallel, then 5 s health polling. */
async function theirs(): Promise<void> {
  const dirs: Record<string, string> = {
    "dsbench-app": appDir,
    "dsbench-cache": join(work, "src", "dsbench-cache"),
    "dsbench-kv": join(work, "src", "dsbench-kv"),
  };
  await Promise.all(
    PROJECTS.map((p) =>
      run([
        "docker-compose",
        "-p",
        p,
        "-f",
        join(dirs[p]!, "devservices", "config.yml"),
        "up",
        "-d",
      ], dirs[p]!)
    ),
  );
  const names = PROJECTS.flatMap(containersOf);
  await Promise.all(names.map(async (id) => {
    for (let i = 0; i < 36; i++) {
      const r = spawnSync("docker", [
        "inspect",
        "-f",
        "{{if .State.Health}}{{.State.Health.Status}}{{else}}unknown{{end}}",
        id,
      ]);
      const s = r.stdout.toString().trim();
      if (s === "healthy" || s === "unknown") return;
      await new Promise((r2) => setTimeout(r2, 5000));
    }
    throw new Error(`${id} did not become healthy`);
  }));
}

spawnSync("docker", ["network", "create", "devservices"], { stdio: "ignore" });
const samples: Record<string, number[]> = {
  "sentryctl devservices up": [],
  "devservices' method": [],
};
try {
  // One untimed round each: images in the engine's cache, the dependency cache filled.
  for (const f of [ours, theirs]) {
    cold();
    await f();
  }
  for (let i = 0; i < RUNS; i++) {
    for (
      const [name, f] of [["sentryctl devservices up", ours], [
        "devservices' method",
        theirs,
      ]] as const
    ) {
      cold();
      const t0 = performance.now();
      await f();
      samples[name]!.push(performance.now() - t0);
      // Untimed: sentryctl's probes run the healthcheck's own command and pass before Docker's
      // first HEALTHCHECK round; Docker's verdict must follow within a few seconds.
      let healthy = healthyCount();
      for (let w = 0; w < 40 && healthy !== 4; w++) {
        await new Promise((r) => setTimeout(r, 250));
        healthy = healthyCount();
      }
      if (healthy !== 4) {
        throw new Error(`${name}: ${healthy} of 4 containers healthy after the run`);
      }
    }
  }
} finally {
  cold();
  rmSync(work, { recursive: true, force: true });
}
const median = (xs: number[]) => quantile([...xs].sort((a, b) => a - b), 0.5);
for (const [name, xs] of Object.entries(samples)) {
  console.log(
    `${name.padEnd(28)} median ${median(xs).toFixed(0).padStart(6)} ms  (${
      xs.map((x) => x.toFixed(0)).join(", ")
    })`,
  );
}
const ratio = median(samples["sentryctl devservices up"]!) /
  median(samples["devservices' method"]!);
console.log(
  `ratio ${ratio.toFixed(2)}x (target <= 0.5x), ${RUNS} runs each, 3 projects, 4 containers`,
);
