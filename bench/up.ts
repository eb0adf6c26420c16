// `up` of 5 services with probes, cold (no containers) and warm (all running): sentryctl against
// Debian's `docker-compose up -d` plus a readiness wait on the same images and checks, taken
// in turns in one run (SPEC §9). Run by hand, not in CI:
//
//   npm run build && bun bench/up.ts [ROUNDS]
//
// Needs the test images (scripts/ci/build-test-images.sh) and `docker-compose` on PATH.

import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { quantile } from "./lib.ts";

const ROUNDS = Number(process.argv[2] ?? 5);
const BIN = resolve(import.meta.dirname ?? ".", "../dist/sentryctl");
const PROJECT = "bench-up";
const COMPOSE_PROJECT = "benchcompose";
const SERVICES = ["redis", "memcached", "kafka", "web", "worker"];

const SETTINGS = `
SENTRY_DEVSERVICES:
  redis:
    image: sentryctl-test/redis:7
    command: null
    ports: { "6379/tcp": 46380 }
    healthcheck: { exec: ["redis-cli", "ping"] }
  memcached:
    image: sentryctl-test/memcached:1.6
    ports: { "11211/tcp": 41211 }
    healthcheck: { tcp: "11211/tcp" }
  kafka:
    image: sentryctl-test/kafka:standin
    environment: null
    ports: { "9092/tcp": 49092 }
    healthcheck: { tcp: "9092/tcp" }
    stop_grace_period: 1
  web:
    image: sentryctl-test/busybox:latest
    command: ["sh", "-c", "mkdir -p /www && echo ok > /www/index.html && exec httpd -f -p 8080 -h /www"]
    ports: { "8080/tcp": 48080 }
    healthcheck: { http: "http://127.0.0.1:48080/" }
    stop_grace_period: 1
  worker:
    image: sentryctl-test/busybox:latest
    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1 & wait $!; done"]
    depends_on: [redis]
    healthcheck: { exec: ["true"] }
`;

// The same services for docker-compose, on other host ports so both can be measured in turns.
const COMPOSE = `version: "2.4"
services:
  redis:
    image: sentryctl-test/redis:7
    ports: ["127.0.0.1:46381:6379"]
  memcached:
    image: sentryctl-test/memcached:1.6
    ports: ["127.0.0.1:41212:11211"]
  kafka:
    image: sentryctl-test/kafka:standin
    ports: ["127.0.0.1:49093:9092"]
    stop_grace_period: 1s
  web:
    image: sentryctl-test/busybox:latest
    command: ["sh", "-c", "mkdir -p /www && echo ok > /www/index.html && exec httpd -f -p 8080 -h /www"]
    ports: ["127.0.0.1:48081:8080"]
    stop_grace_period: 1s
  worker:
    image: sentryctl-test/busybox:latest
    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1 & wait $$!; done"]
    depends_on: [redis]
`;

const dir = mkdtempSync(join(tmpdir(), "sentryctl-bench-up-"));
writeFileSync(join(dir, "sentry.conf.yml"), SETTINGS);
writeFileSync(join(dir, "docker-compose.yml"), COMPOSE);
const env = { ...process.env, HOME: dir, CI: "true", NO_COLOR: "1" } as Record<string, string>;

function run(argv: string[]): void {
  const r = spawnSync(argv[0]!, argv.slice(1), {
    env,
    cwd: dir,
    stdio: ["ignore", "ignore", "pipe"],
  });
  if (r.status !== 0) throw new Error(`${argv.join(" ")}: ${r.stderr?.toString().slice(-800)}`);
}

const sentryctl = (...args: string[]) => run([BIN, "--config", dir, "--project", PROJECT, ...args]);
const compose = (...args: string[]) =>
  run(["docker-compose", "-p", COMPOSE_PROJECT, "-f", join(dir, "docker-compose.yml"), ...args]);

/** One line over TCP; resolves with the first answer line, or rejects. */
function ask(port: number, line?: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const socket = connect({ host: "127.0.0.1", port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error("timeout"));
    }, 1000);
    socket.on("connect", () => {
      if (line === undefined) {
        clearTimeout(timer);
        socket.destroy();
        resolvePromise("");
      } else socket.write(line);
    });
    socket.on("data", (d) => {
      clearTimeout(timer);
      socket.destroy();
      resolvePromise(String(d).split(/\r?\n/)[0]!);
    });
    socket.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

/** The same readiness sentryctl's probes check, polled every 50 ms from this process. */
async function composeReady(): Promise<void> {
  const checks: (() => Promise<boolean>)[] = [
    async () => (await ask(46381, "PING\r\n")) === "+PONG",
    async () => (await ask(41212), true),
    async () => (await ask(49093), true),
    async () => (await fetch("http://127.0.0.1:48081/")).status < 400,
    () => {
      const r = spawnSync("docker", ["exec", `${COMPOSE_PROJECT}_worker_1`, "true"]);
      return Promise.resolve(r.status === 0);
    },
  ];
  const deadline = Date.now() + 120_000;
  const pending = new Set(checks);
  while (pending.size > 0) {
    for (const check of [...pending]) {
      if (await check().catch(() => false)) pending.delete(check);
    }
    if (pending.size === 0) return;
    if (Date.now() > deadline) throw new Error("compose stack not ready in 120 s");
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function timed(fn: () => void | Promise<void>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

const samples: Record<string, number[]> = {
  "sentryctl up (cold)": [],
  "docker-compose up -d + ready (cold)": [],
  "sentryctl up (warm)": [],
  "docker-compose up -d + ready (warm)": [],
  "engine alone: 5 starts in parallel": [],
};

/**
 * The engine's own share of a cold `up`: the 5 containers already created (and stopped), started
 * together straight through the API, no probes, no CLI. No tool's cold `up` can beat this.
 */
async function engineStarts(): Promise<number> {
  const names = SERVICES.map((s) => `${PROJECT}_${s}`);
  spawnSync("docker", ["stop", "-t", "1", ...names]);
  const api = (path: string) =>
    fetch(`http://docker${path}`, { method: "POST", unix: "/var/run/docker.sock" } as RequestInit);
  return await timed(async () => {
    await Promise.all(names.map((n) => api(`/containers/${n}/start`).then((r) => r.text())));
  });
}

try {
  for (let i = 0; i < ROUNDS; i++) {
    sentryctl("down");
    compose("down");
    samples["sentryctl up (cold)"]!.push(await timed(() => sentryctl("up", ...SERVICES)));
    samples["sentryctl up (warm)"]!.push(await timed(() => sentryctl("up", ...SERVICES)));
    samples["engine alone: 5 starts in parallel"]!.push(await engineStarts());
    sentryctl("down");
    samples["docker-compose up -d + ready (cold)"]!.push(
      await timed(async () => {
        compose("up", "-d");
        await composeReady();
      }),
    );
    samples["docker-compose up -d + ready (warm)"]!.push(
      await timed(async () => {
        compose("up", "-d");
        await composeReady();
      }),
    );
    compose("down");
  }
} finally {
  try {
    sentryctl("rm", "-y");
  } catch { /* best effort */ }
  try {
    compose("down", "-v");
  } catch { /* best effort */ }
}

const median = (xs: number[]) => quantile([...xs].sort((a, b) => a - b), 0.5);
console.log(`rounds: ${ROUNDS} (5 services with probes, interleaved)`);
for (const [name, xs] of Object.entries(samples)) {
  console.log(`${name.padEnd(38)} median ${median(xs).toFixed(0).padStart(6)} ms`);
}
for (const kind of ["cold", "warm"]) {
  const ours = median(samples[`sentryctl up (${kind})`]!);
  const theirs = median(samples[`docker-compose up -d + ready (${kind})`]!);
  console.log(`ratio ${kind}: ${(ours / theirs).toFixed(2)}x`);
}
const floor = median(samples["engine alone: 5 starts in parallel"]!);
const composeCold = median(samples["docker-compose up -d + ready (cold)"]!);
console.log(
  `engine floor: ${(floor / composeCold).toFixed(2)}x of compose's cold time is the engine ` +
    "starting the 5 containers, before any probe",
);
