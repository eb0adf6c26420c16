// bench/startup: start-up cost of the compiled binary against the Docker Go CLI, in one run.
// Median wall time of `sentryctl --version` and `sentryctl attach --help` vs `docker version`
// (the SPEC §9 target is ≤ 1.0×). Usage: bun bench/startup.ts [RUNS]

import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { measure, printTable, type Subject } from "./lib.ts";

const bin = process.env.SENTRYCTL_BIN ?? "dist/sentryctl";
if (!existsSync(bin)) {
  console.error(`${bin} is missing: run 'npm run build' first`);
  process.exit(1);
}
const runs = Number(process.argv[2] ?? 40);
const subjects: Subject[] = [
  { name: "docker version", argv: ["docker", "version"] },
  { name: "sentryctl --version", argv: [bin, "--version"] },
  { name: "sentryctl attach --help", argv: [bin, "attach", "--help"] },
];

// `config get` against a full config dir (config.yml and sentry.conf.ts, as `init` writes them):
// the settings chain through the options. Budget: ≤ 1.5× `--version`.
const confHome = mkdtempSync(join(tmpdir(), "sentryctl-bench-"));
const conf = join(confHome, "conf");
const init = spawnSync(bin, ["init", conf], { env: { ...process.env, HOME: confHome } });
if (init.status !== 0) throw new Error(`sentryctl init failed: ${init.stderr}`);
const configGet = "sentryctl config get system.url-prefix";
subjects.push({
  name: configGet,
  argv: [bin, "--config", conf, "config", "get", "system.url-prefix"],
});
console.log(`bench/startup: ${runs} interleaved runs each, binary ${bin}`);
const timings = measure(subjects, runs);
printTable(timings, "docker version");
const median = (name: string) => timings.find((t) => t.name === name)!.medianMs;
const ratio = median(configGet) / median("sentryctl --version");
console.log(`${configGet} vs sentryctl --version: ${ratio.toFixed(2)}x (budget 1.50x)`);
