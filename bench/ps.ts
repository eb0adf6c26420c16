// `sentryctl ps` against `docker ps` (SPEC §9: ≤ 1.0×), interleaved, on a project with running
// containers (bench/up.ts's services are started first and removed after). Run by hand:
//
//   npm run build && bun bench/ps.ts [RUNS]

import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { measure, printTable } from "./lib.ts";

const RUNS = Number(process.argv[2] ?? 20);
const BIN = resolve(import.meta.dirname ?? ".", "../dist/sentryctl");
const PROJECT = "bench-ps";
const dir = mkdtempSync(join(tmpdir(), "sentryctl-bench-ps-"));
writeFileSync(
  join(dir, "sentry.conf.yml"),
  `SENTRY_DEVSERVICES:
  redis:
    image: sentryctl-test/redis:7
    command: null
    ports: { "6379/tcp": 46390 }
    healthcheck: { exec: ["redis-cli", "ping"] }
  memcached:
    image: sentryctl-test/memcached:1.6
    ports: { "11211/tcp": 41221 }
    healthcheck: { tcp: "11211/tcp" }
`,
);
const env = { ...process.env, HOME: dir, CI: "true", NO_COLOR: "1" } as Record<string, string>;
const ctl = (...args: string[]) => [BIN, "--config", dir, "--project", PROJECT, ...args];
const up = spawnSync(
  ctl("up", "redis", "memcached")[0]!,
  ctl("up", "redis", "memcached").slice(1),
  {
    env,
    stdio: "inherit",
  },
);
if (up.status !== 0) throw new Error("sentryctl up failed");
// Until Docker has run redis's HEALTHCHECK once (its interval after the start), its health is
// "starting" and `ps` runs the probe itself; time the steady state that follows.
for (let i = 0; i < 100; i++) {
  const health = spawnSync("docker", [
    "inspect",
    "--format",
    "{{.State.Health.Status}}",
    `${PROJECT}_redis`,
  ], { encoding: "utf8" }).stdout.trim();
  if (health !== "starting") break;
  spawnSync("sleep", ["0.2"]);
}
try {
  const timings = measure([
    { name: "docker ps", argv: ["docker", "ps"], env },
    { name: "sentryctl ps", argv: ctl("ps"), env },
    { name: "sentryctl ps --json", argv: ctl("ps", "--json"), env },
  ], RUNS);
  printTable(timings, "docker ps");
} finally {
  spawnSync(ctl("rm", "-y")[0]!, ctl("rm", "-y").slice(1), { env, stdio: "inherit" });
}
