// bench/attach-throughput: a container printing 200k lines, streamed to a file by
// `sentryctl attach` vs the Go CLI's `docker run -d` + `docker logs -f` (the peer SPEC §9 names;
// the peer reads Docker's logs API; sentryctl attaches to a container it created before starting
// it, as `docker run` does), with `docker run` attached shown for reference.
// SPEC §9: a throughput counts only with complete output, so every run's output is checked
// (every line, in order, none cut or garbled) and a ratio is printed only when every run of
// both commands was complete. Target: ≥ 1.0× the throughput, i.e. a time ratio ≤ 1.0×.
// Usage: bun bench/attach-throughput.ts [RUNS] [LINES]

import { spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { quantile, type Subject } from "./lib.ts";

const bin = process.env.SENTRYCTL_BIN ?? "dist/sentryctl";
const runs = Number(process.argv[2] ?? 5);
const lines = Number(process.argv[3] ?? 200_000);
const image = "sentryctl-test/busybox:latest";
const suffix = " some log text to make the line look like a log line";
const script = `seq 1 ${lines} | sed 's/$/${suffix}/'`;
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
  `bench/attach-throughput: ${lines} lines, ${runs} interleaved runs each, output to a file, every run checked`,
);

/** Why the output is not exactly lines 1..N in order (undefined when it is). */
function incomplete(output: string, count: number): string | undefined {
  const got = output.split("\n");
  if (got.pop() !== "") return "the last line has no newline (cut off)";
  if (got.length !== count) return `${got.length} of ${count} lines`;
  for (let i = 0; i < count; i++) {
    if (got[i] !== `${i + 1}${suffix}`) {
      return `line ${i + 1} is ${JSON.stringify(got[i]).slice(0, 60)}`;
    }
  }
  return undefined;
}

/** One timed run with stdout to a file; the file is checked afterwards (outside the timing). */
function timeChecked(subject: Subject, outFile: string): { ms: number; problem?: string } {
  const fd = openSync(outFile, "w");
  const t0 = performance.now();
  const r = spawnSync(subject.argv[0]!, subject.argv.slice(1), {
    stdio: ["ignore", fd, "pipe"],
    env: subject.env ?? process.env,
  });
  const ms = performance.now() - t0;
  closeSync(fd);
  if (r.status !== 0) {
    throw new Error(`${subject.name} exited ${r.status}: ${r.stderr?.toString().slice(0, 500)}`);
  }
  const problem = incomplete(readFileSync(outFile, "latin1"), lines);
  rmSync(outFile, { force: true });
  return { ms, problem };
}

try {
  const outFile = join(conf, "out.txt");
  for (const s of subjects) timeChecked(s, outFile); // warm-up (images, page cache)
  const samples = subjects.map(() => [] as number[]);
  const problems = subjects.map(() => [] as string[]);
  for (let i = 0; i < runs; i++) {
    subjects.forEach((s, j) => {
      const { ms, problem } = timeChecked(s, outFile);
      samples[j]!.push(ms);
      if (problem) problems[j]!.push(problem);
    });
  }
  const medians = samples.map((xs) => quantile(xs.sort((a, b) => a - b), 0.5));
  const base = 0; // docker logs -f
  console.log(`${"command".padEnd(24)} median ms   p90 ms  complete  ratio vs docker logs -f`);
  subjects.forEach((s, j) => {
    const complete = runs - problems[j]!.length;
    const ratio = problems[j]!.length === 0 && problems[base]!.length === 0
      ? `${(medians[j]! / medians[base]!).toFixed(2)}x`
      : "- (incomplete output: not counted)";
    console.log(
      `${s.name.padEnd(24)} ${medians[j]!.toFixed(1).padStart(9)} ${
        quantile(samples[j]!, 0.9).toFixed(1).padStart(8)
      }  ${`${complete}/${runs}`.padStart(8)}  ${ratio}`,
    );
    for (const p of new Set(problems[j])) console.log(`  incomplete: ${p}`);
    if (problems[j]!.length === 0) {
      console.log(`  ${(lines / (medians[j]! / 1000)).toFixed(0)} lines/s`);
    }
  });
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
