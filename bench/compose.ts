// `-f compose.yml up`, cold and warm, against Debian's docker-compose 1.29 on the same file
// (SPEC §9: ≤ 0.8× cold, ≤ 0.15× warm; issue #17 must-show 5). The file has 5 services with
// published ports; `redis` has a healthcheck and `app` waits for it (`service_healthy`).
//
//   sentryctl:       `sentryctl -f FILE --project P up` (it waits for its own probes), then the
//                    host readiness poll below (normally done at its first look)
//   docker-compose:  `docker-compose -f FILE -p P up -d`, then the host readiness poll
//
// Readiness, polled from the host every 50 ms (timed): all 5 containers running and every
// published port answering its protocol (redis PONG, memcached VERSION, the two httpd pages).
// Complete (checked untimed after each run, up to 10 s for Docker's verdict): the same, plus
// Docker's health status of `redis` "healthy", no extra container, and for warm the very same
// containers as after cold. A run whose outcome is incomplete is reported and not counted.
// Cold: the project's containers and network absent, images present; warm: a second `up` with
// everything running. Each round uses new project names and alternates which tool goes first.
// Only the bench's own projects (by compose's project label) are removed, also on Ctrl-C.
//
// Usage: npm run build && bun bench/compose.ts [ROUNDS=3]
// Needs the test images (scripts/ci/build-test-images.sh) and docker-compose 1.29 on PATH.

import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import {
  containersOf,
  type Expectation,
  formatVerdict,
  freePort,
  judge,
  median,
  pollUntil,
  removeProject,
} from "./stack-check.ts";

const ROUNDS = Math.max(1, Number(process.argv[2] ?? 3));
const ROOT = resolve(import.meta.dirname ?? ".", "..");
const BIN = process.env.SENTRYCTL_BIN ?? join(ROOT, "dist/sentryctl");
// Project names are `cbench-{s,c}-<RUN_ID>-<round>`; BENCH_RUN_ID lets a test know them.
const RUN_ID = process.env.BENCH_RUN_ID ?? Math.random().toString(16).slice(2, 8);
const SERVICES = ["redis", "memcached", "web", "app", "worker"] as const;

const taken = new Set<number>();
async function port(): Promise<number> {
  const p = await freePort(taken);
  taken.add(p);
  return p;
}
const PORTS = {
  redis: await port(),
  memcached: await port(),
  web: await port(),
  app: await port(),
};

// One file for both tools. Interval 1 s: Docker's first health check runs one interval after
// the start (Docker 20.10 has no start_interval), which is what compose's service_healthy waits on.
const FILE_TEXT = `services:
  redis:
    image: sentryctl-test/redis:7
    ports: ["127.0.0.1:${PORTS.redis}:6379"]
    healthcheck:
      test: ["CMD", "redis-cli", "ping"]
      interval: 1s
      timeout: 2s
      retries: 30
  memcached:
    image: sentryctl-test/memcached:1.6
    ports: ["127.0.0.1:${PORTS.memcached}:11211"]
  web:
    image: sentryctl-test/busybox:latest
    command: ["sh", "-c", "mkdir -p /www && echo web > /www/index.html && exec httpd -f -p 8080 -h /www"]
    ports: ["127.0.0.1:${PORTS.web}:8080"]
    stop_grace_period: 1s
  app:
    image: sentryctl-test/busybox:latest
    command: ["sh", "-c", "mkdir -p /www && echo app > /www/index.html && exec httpd -f -p 8080 -h /www"]
    ports: ["127.0.0.1:${PORTS.app}:8080"]
    depends_on:
      redis:
        condition: service_healthy
    stop_grace_period: 1s
  worker:
    image: sentryctl-test/busybox:latest
    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1 & wait $$!; done"]
    depends_on: [memcached]
    stop_grace_period: 1s
`;

const EXPECT: Expectation = {
  services: SERVICES,
  healthy: ["redis"],
  ports: [
    { name: "redis", port: PORTS.redis, kind: "redis" },
    { name: "memcached", port: PORTS.memcached, kind: "memcached" },
    { name: "web", port: PORTS.web, kind: "http", body: "web" },
    { name: "app", port: PORTS.app, kind: "http", body: "app" },
  ],
};

const dir = mkdtempSync(join(tmpdir(), "sentryctl-bench-compose-"));
const FILE = join(dir, "compose.yml");
writeFileSync(FILE, FILE_TEXT);
const env: Record<string, string> = {
  ...process.env as Record<string, string>,
  HOME: dir,
  SENTRY_CONF: join(dir, "conf"),
  CI: "true",
  NO_COLOR: "1",
};
delete env.COMPOSE_PROJECT_NAME;
delete env.COMPOSE_PROFILES;
delete env.COMPOSE_FILE;

type Tool = "sentryctl" | "docker-compose";
const projects: string[] = [];

function command(tool: Tool, project: string): string[] {
  return tool === "sentryctl"
    ? [BIN, "-f", FILE, "--project", project, "up"]
    : ["docker-compose", "-f", FILE, "-p", project, "up", "-d"];
}

// Each run's stderr, every chunk stamped with the ms since the run began, kept after the bench
// (the path is printed) so a slow or incomplete run can be explained.
const logDir = mkdtempSync(join(tmpdir(), "sentryctl-bench-compose-logs-"));
let logSeq = 0;

function run(argv: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done) => {
    const t0 = performance.now();
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd: dir,
      env,
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    let log = `$ ${argv.join(" ")}\n`;
    child.stderr.on("data", (d) => {
      stderr += d;
      log += `[${(performance.now() - t0).toFixed(0).padStart(6)} ms] ${String(d)}`;
    });
    child.on("close", () => {
      const name = `${String(++logSeq).padStart(2, "0")}-${argv[0]!.split("/").at(-1)}.log`;
      writeFileSync(join(logDir, name), log);
    });
    child.on("error", (e) => done({ code: -1, stderr: String(e) }));
    child.on("close", (code) => done({ code, stderr }));
  });
}

interface Sample {
  ms?: number;
  problem?: string;
}

/** One timed `up` plus readiness; then the untimed completeness check. */
async function once(
  tool: Tool,
  project: string,
  sameAs?: Map<string, string>,
): Promise<Sample> {
  const t0 = performance.now();
  const r = await run(command(tool, project));
  if (r.code !== 0) return { problem: `exit ${r.code}: ${r.stderr.trim().slice(-300)}` };
  const ready = await pollUntil(project, EXPECT, {
    health: false,
    everyMs: 50,
    deadlineMs: 60_000,
  });
  const ms = performance.now() - t0;
  if (ready.length > 0) return { problem: `not ready in 60 s: ${ready.join("; ")}` };
  // Docker runs the healthcheck on its own schedule; its verdict must follow within seconds.
  const complete = await pollUntil(project, EXPECT, {
    health: true,
    sameAs,
    everyMs: 100,
    deadlineMs: 10_000,
  });
  if (complete.length > 0) return { problem: `incomplete: ${complete.join("; ")}` };
  return { ms };
}

async function cleanup(): Promise<void> {
  for (const p of projects) await removeProject(p).catch(() => {});
}

let interrupted = false;
for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.on(sig, () => {
    if (interrupted) return;
    interrupted = true;
    console.error(`\n${sig}: removing the bench's projects (${projects.join(", ") || "none"})`);
    cleanup().finally(() => {
      rmSync(dir, { recursive: true, force: true });
      process.exit(130);
    });
  });
}

const KINDS = ["cold", "warm"] as const;
const samples: Record<Tool, Record<(typeof KINDS)[number], number[]>> = {
  sentryctl: { cold: [], warm: [] },
  "docker-compose": { cold: [], warm: [] },
};
const skipped: string[] = [];

try {
  for (let round = 1; round <= ROUNDS && !interrupted; round++) {
    const order: Tool[] = round % 2 === 1
      ? ["sentryctl", "docker-compose"]
      : ["docker-compose", "sentryctl"];
    for (const tool of order) {
      if (interrupted) break;
      const project = `cbench-${tool === "sentryctl" ? "s" : "c"}-${RUN_ID}-${round}`;
      projects.push(project);
      await removeProject(project); // cold: nothing of the project exists (a fresh name anyway)
      const cold = await once(tool, project);
      const ids = new Map((await containersOf(project)).map((c) => [c.service, c.id]));
      const warm = cold.ms === undefined
        ? { problem: "cold run incomplete" }
        : await once(tool, project, ids);
      for (const [kind, s] of [["cold", cold], ["warm", warm]] as const) {
        if (s.ms !== undefined) samples[tool][kind].push(s.ms);
        else skipped.push(`round ${round} ${tool} ${kind}: ${s.problem}`);
        console.error(
          `round ${round} ${tool.padEnd(14)} ${kind}: ${
            s.ms !== undefined ? `${s.ms.toFixed(0)} ms` : `not counted (${s.problem})`
          }`,
        );
      }
      await removeProject(project);
    }
  }
} finally {
  await cleanup();
  rmSync(dir, { recursive: true, force: true });
}

console.log(
  `run ${RUN_ID}, rounds: ${ROUNDS} (5 services, redis healthy before app; ports ${
    Object.values(PORTS).join(", ")
  })`,
);
console.log(`${"".padEnd(26)}counted  median ms      min      max`);
for (const tool of ["sentryctl", "docker-compose"] as const) {
  for (const kind of KINDS) {
    const xs = samples[tool][kind];
    const cell = (v: number) => (xs.length ? v.toFixed(0) : "-").padStart(8);
    console.log(
      `${`${tool} up (${kind})`.padEnd(26)}${`${xs.length}/${ROUNDS}`.padStart(7)} ${
        cell(median(xs)).padStart(10)
      } ${cell(Math.min(...xs))} ${cell(Math.max(...xs))}`,
    );
  }
}
const verdicts = [
  ["cold", judge(samples.sentryctl.cold, samples["docker-compose"].cold, 0.8)],
  ["warm", judge(samples.sentryctl.warm, samples["docker-compose"].warm, 0.15)],
] as const;
for (const [kind, v] of verdicts) console.log(formatVerdict(`ratio ${kind}`, v));
for (const s of skipped) console.log(`not counted: ${s}`);
console.log(`logs of every run: ${logDir}`);
// No figure at all is a failed bench (the e2e smoke test relies on this exit code).
process.exit(verdicts.some(([, v]) => v.result === "no figure") ? 1 : 0);
