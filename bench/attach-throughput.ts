// bench/attach-throughput: a container printing 200k lines, streamed to the terminal by
// `sentryctl attach` vs the Go CLI's `docker run -d` + `docker logs -f` (the peer SPEC §9 names;
// the peer reads Docker's logs API; sentryctl reads a container it created through the attach
// endpoint, as SPEC §3 allows), with `docker run` attached shown for reference.
// SPEC §9 target: ≥ 1.0× the throughput, i.e. a time ratio ≤ 1.0×.
// Usage: bun bench/attach-throughput.ts [RUNS] [LINES]

import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { measure, printTable, type Subject } from "./lib.ts";

const bin = process.env.SENTRYCTL_BIN ?? "dist/sentryctl";
const runs = Number(process.argv[2] ?? 5);
const lines = Number(process.argv[3] ?? 200_000);
const image = "sentryctl-test/busybox:latest";
const script = `seq 1 ${lines} | sed 's/$/ some log text to make the line look like a log line/'`;
const project = "sentryctl-bench";

const conf = mkdtempSync(join(tmpdir(), "sentryctl-bench-"));
writeFileSync(
  join(conf, "sentry.conf.yml"),
  `SENTRY_DEVSERVICES:\n  printer:\n    image: ${image}\n    command: ["sh", "-c", ${
    JSON.stringify(script)
  }]\n`,
);

const logsPeer =
  `id=$(docker run -d --name ${project}_logs ${image} sh -c "$0") && docker logs -f $id && docker rm -f $id >/dev/null`;
const subjects: Subject[] = [
  { name: "docker logs -f", argv: ["sh", "-c", logsPeer, script] },
  {
    name: "docker run (attached)",
    argv: ["docker", "run", "--rm", "--name", `${project}_docker`, image, "sh", "-c", script],
  },
  {
    name: "sentryctl attach",
    argv: [bin, "--config", conf, "--project", project, "attach", "printer"],
  },
];
console.log(
  `bench/attach-throughput: ${lines} lines, ${runs} interleaved runs each, output to /dev/null`,
);
try {
  const timings = measure(subjects, runs, 1);
  printTable(timings, "docker logs -f");
  for (const t of timings) {
    console.log(`${t.name}: ${(lines / (t.medianMs / 1000)).toFixed(0)} lines/s`);
  }
} finally {
  const ids = spawnSync("docker", [
    "ps",
    "-aq",
    "--filter",
    `label=io.sentry.sentryctl.project=${project}`,
  ], { encoding: "utf8" })
    .stdout.split("\n").filter(Boolean);
  if (ids.length) spawnSync("docker", ["rm", "-f", ...ids]);
  spawnSync("docker", ["rm", "-f", `${project}_logs`, `${project}_docker`]);
  spawnSync("docker", ["network", "rm", project]);
}
