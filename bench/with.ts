// bench/with: what `with` adds (issue #12, must-show 6; SPEC §9 "with redis -- true with redis
// running < 300 ms"). Interleaved in one run:
//   warm:  `sentryctl with --reuse redis -- true` (redis running for 30 s+) vs `sentryctl --version`
//   cold:  `sentryctl with redis -- true` (isolated project: create, wait healthy, run, remove)
//          vs a cold `sentryctl up redis` (its containers/volumes/network removed, untimed,
//          before each run); budget 1.5×.
// Usage: bun bench/with.ts [RUNS] — uses the test image sentryctl-test/redis:7 and its own
// projects (bench-with-reuse, bench-with-up), removed at the end.

import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { measure, printTable, quantile, type Subject, timeOnce } from "./lib.ts";

const bin = process.env.SENTRYCTL_BIN ?? "dist/sentryctl";
if (!existsSync(bin)) {
  console.error(`${bin} is missing: run 'npm run build' first`);
  process.exit(1);
}
const runs = Number(process.argv[2] ?? 10);
const home = mkdtempSync(join(tmpdir(), "sentryctl-bench-with-"));
const conf = join(home, "conf");
execFileSync("mkdir", ["-p", conf]);
writeFileSync(
  join(conf, "sentry.conf.yml"),
  `SENTRY_DEVSERVICES:\n  redis:\n    image: sentryctl-test/redis:7\n    command: null\n    ports: { "6379/tcp": 36479 }\n`,
);
const env = { ...process.env, HOME: home, SENTRY_CONF: conf, CI: "true" } as Record<
  string,
  string
>;
const REUSE = "bench-with-reuse";
const UP = "bench-with-up";

function removeProject(project: string) {
  const label = `label=io.sentry.sentryctl.project=${project}`;
  const ids = (args: string[]) =>
    execFileSync("docker", args, { encoding: "utf8" }).split("\n").filter(Boolean);
  const containers = ids(["ps", "-aq", "--filter", label]);
  if (containers.length) spawnSync("docker", ["rm", "-f", "-v", ...containers]);
  const volumes = ids(["volume", "ls", "-q", "--filter", label]);
  if (volumes.length) spawnSync("docker", ["volume", "rm", "-f", ...volumes]);
  const networks = ids(["network", "ls", "-q", "--filter", label]);
  if (networks.length) spawnSync("docker", ["network", "rm", ...networks]);
}

const hasUp = spawnSync(bin, ["up", "--help"], { env }).status === 0;
try {
  // Warm: redis of the reuse project is started once, then every run finds it running.
  timeOnce({
    name: "start",
    argv: [bin, "--project", REUSE, "with", "--reuse", "redis", "--", "true"],
    env,
  });
  // A developer's redis has been running for a while: past the 30 s after which `--reuse`
  // trusts a running container whose port answers (src/ci/docker-stack.ts, SETTLED_MS).
  await new Promise((r) => setTimeout(r, 31_000));
  const warm: Subject[] = [
    { name: "sentryctl --version", argv: [bin, "--version"], env },
    {
      name: "with --reuse redis -- true",
      argv: [bin, "--project", REUSE, "with", "--reuse", "redis", "--", "true"],
      env,
    },
  ];
  console.log(`bench/with: ${runs} interleaved runs each, binary ${bin}`);
  printTable(measure(warm, runs, 2), "sentryctl --version");
  removeProject(REUSE); // its fixed port is the one `up` binds below

  // Cold: isolated with vs a cold up, interleaved; the up project is removed before each run.
  const cold = { with: [] as number[], up: [] as number[] };
  const withSubject = {
    name: "with redis -- true",
    argv: [bin, "with", "redis", "--", "true"],
    env,
  };
  const upSubject = { name: "up redis (cold)", argv: [bin, "--project", UP, "up", "redis"], env };
  for (let i = 0; i < runs + 1; i++) {
    const w = timeOnce(withSubject);
    let u = NaN;
    if (hasUp) {
      removeProject(UP);
      u = timeOnce(upSubject);
    }
    if (i > 0) { // the first round warms caches
      cold.with.push(w);
      cold.up.push(u);
    }
  }
  const med = (xs: number[]) => quantile([...xs].sort((a, b) => a - b), 0.5);
  console.log(`with redis -- true (isolated, cold)  median ${med(cold.with).toFixed(1)} ms`);
  if (hasUp) {
    console.log(`up redis (cold)                      median ${med(cold.up).toFixed(1)} ms`);
    console.log(`ratio with/up: ${(med(cold.with) / med(cold.up)).toFixed(2)}x (budget 1.50x)`);
  } else {
    console.log("up redis: not measured ('up' is not in this build)");
  }
} finally {
  removeProject(REUSE);
  removeProject(UP);
}
