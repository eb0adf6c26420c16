// `up` of 5 services with probes, cold (containers and network absent) and warm (all running):
// sentryctl against Debian's `docker-compose up -d` plus a readiness wait on the same images and
// checks, and both against the engine floor, taken in turns in one run (SPEC §9).
//
// The engine floor is what the engine itself needs for the same cold work: the project's network
// and the same 5 containers (image, command, published ports, network alias), created and
// started in parallel straight through the Engine API, no client and no waiting. SPEC §9's
// target: sentryctl's cold time above the floor ≤ 0.3× docker-compose's cold time above it.
//
// Every timed run is checked before it counts (./stack-check.ts): all 5 containers running,
// every published port answering its protocol (redis PONG, memcached VERSION, kafka stand-in
// echo, the httpd page), and for warm the same containers as after cold.
//
//   npm run build && bun bench/up.ts [ROUNDS=5]
//
// Env: SENTRYCTL_BIN (default dist/sentryctl); SENTRYCTL_BASELINE_BIN (a second build, e.g. of
// main, run in the same rounds on its own project and floor-paired the same way: a change is
// judged against it on the same machine minutes, not against a figure from another hour);
// BENCH_TIMELINE=1 (each sentryctl cold run's engine events: when each start was answered and
// each exec probe ended, which start came last and what followed it; ./timeline.ts).
//
// Needs the test images (scripts/ci/build-test-images.sh) and `docker-compose` on PATH.

import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import {
  aboveFloor,
  api,
  containersOf,
  type Expectation,
  formatVerdict,
  freePort,
  judge,
  median,
  pollUntil,
  problemsOf,
  removeProject,
  SOCKET,
} from "./stack-check.ts";
import {
  engineEvents,
  formatTimeline,
  summariseTimelines,
  type Timeline,
  timelineOf,
} from "./timeline.ts";

const ROUNDS = Math.max(1, Number(process.argv[2] ?? 5));
const BIN = process.env.SENTRYCTL_BIN ?? resolve(import.meta.dirname ?? ".", "../dist/sentryctl");
const BASELINE_BIN = process.env.SENTRYCTL_BASELINE_BIN;
const RUN_ID = Math.random().toString(16).slice(2, 8);
const PROJECT = `bench-up-${RUN_ID}`;
const BASELINE_PROJECT = `bench-upbase-${RUN_ID}`;
const COMPOSE_PROJECT = `benchcompose-${RUN_ID}`;
const FLOOR_PROJECT = `benchfloor-${RUN_ID}`;
const SENTRYCTL_LABEL = "io.sentry.sentryctl.project";
const TIMELINE = process.env.BENCH_TIMELINE === "1";
/** Per sentryctl cold run (BENCH_TIMELINE=1). */
const timelines: Timeline[] = [];
const COMPOSE_LABEL = "com.docker.compose.project";

const WEB_CMD = [
  "sh",
  "-c",
  "mkdir -p /www && echo ok > /www/index.html && exec httpd -f -p 8080 -h /www",
];
const WORKER_CMD = ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1 & wait $!; done"];

const taken = new Set<number>();
async function port(): Promise<number> {
  const p = await freePort(taken);
  taken.add(p);
  return p;
}

/** The 5 services, once; sentryctl's settings, compose's file and the floor's bodies from it. */
const SERVICES = [
  { name: "redis", image: "sentryctl-test/redis:7", target: 6379, host: await port() },
  { name: "memcached", image: "sentryctl-test/memcached:1.6", target: 11211, host: await port() },
  { name: "kafka", image: "sentryctl-test/kafka:standin", target: 9092, host: await port() },
  {
    name: "web",
    image: "sentryctl-test/busybox:latest",
    cmd: WEB_CMD,
    target: 8080,
    host: await port(),
  },
  { name: "worker", image: "sentryctl-test/busybox:latest", cmd: WORKER_CMD },
] as { name: string; image: string; cmd?: string[]; target?: number; host?: number }[];
const host = (name: string) => SERVICES.find((s) => s.name === name)!.host!;

// The catalog's redis and kafka also mount a named data volume; `volumes: null` leaves it out,
// so sentryctl runs the very containers compose's file and the floor describe (a volume is one
// more create and mount for the engine, which the other two would not be timed for).
const SETTINGS = `
SENTRY_DEVSERVICES:
  redis:
    image: sentryctl-test/redis:7
    command: null
    volumes: null
    ports: { "6379/tcp": ${host("redis")} }
    healthcheck: { exec: ["redis-cli", "ping"] }
  memcached:
    image: sentryctl-test/memcached:1.6
    ports: { "11211/tcp": ${host("memcached")} }
    healthcheck: { tcp: "11211/tcp" }
  kafka:
    image: sentryctl-test/kafka:standin
    environment: null
    volumes: null
    ports: { "9092/tcp": ${host("kafka")} }
    healthcheck: { tcp: "9092/tcp" }
    stop_grace_period: 1
  web:
    image: sentryctl-test/busybox:latest
    command: ${JSON.stringify(WEB_CMD)}
    ports: { "8080/tcp": ${host("web")} }
    healthcheck: { http: "http://127.0.0.1:${host("web")}/" }
    stop_grace_period: 1
  worker:
    image: sentryctl-test/busybox:latest
    command: ${JSON.stringify(WORKER_CMD)}
    depends_on: [redis]
    healthcheck: { exec: ["true"] }
`;

const COMPOSE = `version: "2.4"
services:
${
  SERVICES.map((s) =>
    `  ${s.name}:\n    image: ${s.image}\n` +
    (s.cmd ? `    command: ${JSON.stringify(s.cmd).replaceAll("$", () => "$$")}\n` : "") +
    (s.host ? `    ports: ["127.0.0.1:${s.host}:${s.target}"]\n` : "") +
    (s.name === "worker" ? "    depends_on: [redis]\n" : "") +
    "    stop_grace_period: 1s\n"
  ).join("")
}`;

const EXPECT: Expectation = {
  services: SERVICES.map((s) => s.name),
  healthy: [],
  ports: [
    { name: "redis", port: host("redis"), kind: "redis" },
    { name: "memcached", port: host("memcached"), kind: "memcached" },
    { name: "kafka", port: host("kafka"), kind: "echo" },
    { name: "web", port: host("web"), kind: "http", body: "ok" },
  ],
};

const dir = mkdtempSync(join(tmpdir(), "sentryctl-bench-up-"));
writeFileSync(join(dir, "sentry.conf.yml"), SETTINGS);
writeFileSync(join(dir, "docker-compose.yml"), COMPOSE);
const env = { ...process.env, HOME: dir, CI: "true", NO_COLOR: "1" } as Record<string, string>;
delete env.COMPOSE_PROJECT_NAME;

function run(argv: string[]): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(argv[0]!, argv.slice(1), {
      env,
      cwd: dir,
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", fail);
    child.on(
      "close",
      (code) => code === 0 ? done() : fail(new Error(`${argv.join(" ")}: ${stderr.slice(-800)}`)),
    );
  });
}

/** The build under test, or the baseline build on its own project. */
interface Subject {
  who: "sentryctl" | "baseline";
  bin: string;
  project: string;
}
const SUBJECTS: Subject[] = [
  { who: "sentryctl", bin: BIN, project: PROJECT },
  ...(BASELINE_BIN
    ? [{ who: "baseline" as const, bin: resolve(BASELINE_BIN), project: BASELINE_PROJECT }]
    : []),
];
const sentryctl = (s: Subject, ...args: string[]) =>
  run([s.bin, "--config", dir, "--project", s.project, ...args]);
const compose = (...args: string[]) =>
  run(["docker-compose", "-p", COMPOSE_PROJECT, "-f", join(dir, "docker-compose.yml"), ...args]);

/** The floor: network + 5 containers created and started in parallel through the API. */
async function engineFloor(): Promise<number> {
  const network = `${FLOOR_PROJECT}_default`;
  const labels = (service?: string) => ({
    [COMPOSE_LABEL]: FLOOR_PROJECT,
    ...(service ? { "com.docker.compose.service": service } : {}),
  });
  const t0 = performance.now();
  await api("POST", "/networks/create", { Name: network, CheckDuplicate: true, Labels: labels() });
  await Promise.all(SERVICES.map(async (s) => {
    const port = s.target ? `${s.target}/tcp` : undefined;
    const body = {
      Image: s.image,
      Cmd: s.cmd,
      Labels: labels(s.name),
      ExposedPorts: port ? { [port]: {} } : undefined,
      HostConfig: {
        NetworkMode: network,
        PortBindings: port ? { [port]: [{ HostIp: "127.0.0.1", HostPort: String(s.host) }] } : {},
      },
      NetworkingConfig: { EndpointsConfig: { [network]: { Aliases: [s.name] } } },
    };
    const name = `${FLOOR_PROJECT}-${s.name}-1`;
    const { Id } = await api("POST", `/containers/create?name=${name}`, body) as { Id: string };
    await api("POST", `/containers/${Id}/start`);
  }));
  return performance.now() - t0;
}

type Kind = "cold" | "warm";
const NAMES = {
  "sentryctl up (cold)": [] as (number | undefined)[],
  "sentryctl up (warm)": [] as (number | undefined)[],
  "baseline up (cold)": [] as (number | undefined)[],
  "baseline up (warm)": [] as (number | undefined)[],
  "docker-compose up -d + ready (cold)": [] as (number | undefined)[],
  "docker-compose up -d + ready (warm)": [] as (number | undefined)[],
  "engine floor (cold)": [] as (number | undefined)[],
};
type Row = keyof typeof NAMES;
const samples = NAMES;
const skipped: string[] = [];

function record(row: Row, round: number, ms: number, problems: string[]): void {
  const counted = problems.length === 0;
  samples[row].push(counted ? ms : undefined);
  if (!counted) skipped.push(`round ${round} ${row}: ${problems.join("; ")}`);
  console.error(
    `round ${round} ${row}: ${ms.toFixed(0)} ms${counted ? "" : ` NOT COUNTED (${problems})`}`,
  );
}

/** sentryctl waits for its probes: its outcome must be complete as soon as `up` returns. */
async function ours(s: Subject, kind: Kind, round: number, sameAs?: Map<string, string>) {
  const spawnMs = Date.now();
  const t0 = performance.now();
  await sentryctl(s, "up", ...EXPECT.services);
  const ms = performance.now() - t0;
  if (TIMELINE && kind === "cold" && s.who === "sentryctl") {
    const exitMs = spawnMs + ms;
    const events = await engineEvents(
      SOCKET,
      spawnMs, // the same project ran before: nothing earlier is this run's
      exitMs + 100,
      `${SENTRYCTL_LABEL}=${s.project}`,
    );
    const t = timelineOf(events, `${s.project}_`, spawnMs, exitMs);
    timelines.push(t);
    console.error(`round ${round} timeline (ms after spawn): ${formatTimeline(t, ms)}`);
  }
  const problems = await pollUntil(s.project, EXPECT, {
    health: false,
    sameAs,
    label: SENTRYCTL_LABEL,
    everyMs: 50,
    deadlineMs: 0,
  });
  record(`${s.who} up (${kind})`, round, ms, problems);
}

/** docker-compose returns once the containers started: readiness polled every 50 ms. */
async function theirs(kind: Kind, round: number, sameAs?: Map<string, string>) {
  const t0 = performance.now();
  await compose("up", "-d");
  const problems = await pollUntil(COMPOSE_PROJECT, EXPECT, {
    health: false,
    sameAs,
    everyMs: 50,
    deadlineMs: 60_000,
  });
  record(`docker-compose up -d + ready (${kind})`, round, performance.now() - t0, problems);
}

const ids = async (project: string, label?: string) =>
  new Map((await containersOf(project, label)).map((c) => [c.service, c.id]));

async function cleanup(): Promise<void> {
  for (const s of SUBJECTS) await removeProject(s.project, SENTRYCTL_LABEL).catch(() => {});
  await removeProject(COMPOSE_PROJECT).catch(() => {});
  await removeProject(FLOOR_PROJECT).catch(() => {});
}
let interrupted = false;
for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.on(sig, () => {
    if (interrupted) return;
    interrupted = true;
    console.error(`\n${sig}: removing the bench's projects (${RUN_ID})`);
    cleanup().finally(() => {
      rmSync(dir, { recursive: true, force: true });
      process.exit(130);
    });
  });
}

try {
  for (let round = 1; round <= ROUNDS && !interrupted; round++) {
    const steps = [
      ...SUBJECTS.map((s) => async () => {
        await removeProject(s.project, SENTRYCTL_LABEL); // cold: no container, no network
        await ours(s, "cold", round);
        await ours(s, "warm", round, await ids(s.project, SENTRYCTL_LABEL));
        await removeProject(s.project, SENTRYCTL_LABEL);
      }),
      async () => {
        await removeProject(FLOOR_PROJECT);
        const ms = await engineFloor();
        const problems = problemsOf(EXPECT, {
          containers: await containersOf(FLOOR_PROJECT),
          answers: Object.fromEntries(EXPECT.ports.map((p) => [p.name, true])),
        }, { health: false });
        record("engine floor (cold)", round, ms, problems);
        await removeProject(FLOOR_PROJECT);
      },
      async () => {
        await removeProject(COMPOSE_PROJECT);
        await theirs("cold", round);
        await theirs("warm", round, await ids(COMPOSE_PROJECT));
        await removeProject(COMPOSE_PROJECT);
      },
    ];
    // Alternate which tool goes first; the floor always sits between sentryctl and compose.
    if (round % 2 === 0) steps.reverse();
    for (const step of steps) if (!interrupted) await step();
  }
} finally {
  await cleanup();
  rmSync(dir, { recursive: true, force: true });
}

const counted = (row: Row) => samples[row].filter((x): x is number => x !== undefined);
console.log(`rounds: ${ROUNDS} (5 services with probes, interleaved)`);
console.log(`${"".padEnd(38)}counted  median ms`);
for (const row of Object.keys(samples) as Row[]) {
  if (row.startsWith("baseline") && !BASELINE_BIN) continue;
  const xs = counted(row);
  console.log(
    `${row.padEnd(38)}${`${xs.length}/${ROUNDS}`.padStart(7)} ${
      (xs.length ? median(xs).toFixed(0) : "-").padStart(10)
    }`,
  );
}
for (const kind of ["cold", "warm"] as const) {
  const v = judge(
    counted(`sentryctl up (${kind})`),
    counted(`docker-compose up -d + ready (${kind})`),
    Infinity,
  );
  console.log(`ratio ${kind}: ${Number.isFinite(v.ratio) ? `${v.ratio.toFixed(2)}x` : "-"}`);
}
// Above the floor, paired with the floor of the same round (the machine's speed drifts).
const floor = samples["engine floor (cold)"];
const oursAbove = aboveFloor(samples["sentryctl up (cold)"], floor);
const theirsAbove = aboveFloor(samples["docker-compose up -d + ready (cold)"], floor);
console.log(
  `cold above the engine floor: sentryctl ${median(oursAbove).toFixed(0)} ms, docker-compose ${
    median(theirsAbove).toFixed(0)
  } ms`,
);
console.log(formatVerdict("ratio cold above the floor", judge(oursAbove, theirsAbove, 0.3)));
if (BASELINE_BIN) {
  const baseAbove = aboveFloor(samples["baseline up (cold)"], floor);
  console.log(`baseline cold above the engine floor: ${median(baseAbove).toFixed(0)} ms`);
  console.log(
    formatVerdict("baseline ratio cold above the floor", judge(baseAbove, theirsAbove, 0.3)),
  );
}
if (TIMELINE && timelines.length > 0) console.log(summariseTimelines(timelines));
for (const s of skipped) console.log(`not counted: ${s}`);
