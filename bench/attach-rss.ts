// bench/attach-rss: peak RSS of `sentryctl attach` while a container prints 200k lines (SPEC §9:
// ≤ 80 MB), and idle. Measured with GNU time's maximum resident set size, with stdout to
// /dev/null (fast sink) and to a pipe whose reader stalls for 2 s (back-pressure: attach must
// wait for the reader instead of buffering the burst).
// Usage: bun bench/attach-rss.ts [RUNS] [LINES]

import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const bin = process.env.SENTRYCTL_BIN ?? "dist/sentryctl";
const runs = Number(process.argv[2] ?? 3);
const lines = Number(process.argv[3] ?? 200_000);
const project = "sentryctl-bench-rss";
const script = `seq 1 ${lines} | sed 's/$/ some log text to make the line look like a log line/'`;
const conf = mkdtempSync(join(tmpdir(), "sentryctl-bench-"));
writeFileSync(
  join(conf, "sentry.conf.yml"),
  `SENTRY_DEVSERVICES:\n  printer:\n    image: sentryctl-test/busybox:latest\n    command: ["sh", "-c", ${
    JSON.stringify(script)
  }]\n  idler:\n    image: sentryctl-test/busybox:latest\n    command: ["sh", "-c", "echo idle; sleep 3"]\n`,
);
const home = mkdtempSync(join(tmpdir(), "sentryctl-home-"));
const attach = `"${bin}" --config "${conf}" --project ${project} attach`;

const figure = join(home, "rss.txt");

/** Peak RSS in MB of the sentryctl process in `pipeline` (GNU time writes it to a file). */
function peakMb(pipeline: string): number {
  const r = spawnSync("bash", ["-c", pipeline], {
    encoding: "utf8",
    env: { ...process.env, HOME: home },
  });
  const kb = Number(readFileSync(figure, "utf8").trim().split("\n").pop());
  spawnSync("docker", ["rm", "-f", `${project}_printer`, `${project}_idler`]);
  if (!Number.isFinite(kb)) {
    throw new Error(`no RSS figure (exit ${r.status}): ${r.stdout} ${r.stderr} ${r.error ?? ""}`);
  }
  return kb / 1024;
}

const timed = (inner: string) => `/usr/bin/time -o "${figure}" -f %M ${inner}`;
const cases: [string, string][] = [
  ["idle (attach idler)", `${timed(`${attach} idler`)} >/dev/null 2>/dev/null`],
  ["200k lines → /dev/null", `${timed(`${attach} printer`)} >/dev/null 2>/dev/null`],
  [
    "200k lines → stalled pipe",
    `${timed(`${attach} printer`)} 2>/dev/null | (sleep 2; cat >/dev/null)`,
  ],
];
console.log(`bench/attach-rss: ${lines} lines, ${runs} runs each; peak RSS in MB`);
try {
  for (const [name, pipeline] of cases) {
    const samples = Array.from({ length: runs }, () => peakMb(pipeline)).sort((a, b) => a - b);
    console.log(
      `${name.padEnd(28)} median ${samples[Math.floor(runs / 2)]!.toFixed(1)}  max ${
        samples[runs - 1]!.toFixed(1)
      }`,
    );
  }
} finally {
  spawnSync("docker", ["rm", "-f", `${project}_printer`, `${project}_idler`]);
  spawnSync("docker", ["network", "rm", project]);
}
