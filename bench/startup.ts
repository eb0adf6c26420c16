// bench/startup: start-up cost of the compiled binary against the Docker Go CLI, in one run.
// Median wall time of `sentryctl --version` and `sentryctl attach --help` vs `docker version`
// (the SPEC §9 target is ≤ 1.0×). Usage: bun bench/startup.ts [RUNS]

import { existsSync } from "node:fs";
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
console.log(`bench/startup: ${runs} interleaved runs each, binary ${bin}`);
printTable(measure(subjects, runs), "docker version");
