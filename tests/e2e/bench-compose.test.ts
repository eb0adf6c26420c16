// bench/compose.ts keeps working (issue #17 must-show 5): one round against the real engine and
// Debian's docker-compose 1.29 must count all four runs (each checked complete by the bench),
// print both ratios against their targets, and leave none of its projects behind.

import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import { REPO_ROOT } from "../helpers/cli.ts";
import { docker } from "../helpers/docker.ts";

const HAS_COMPOSE = spawnSync("docker-compose", ["version"], { encoding: "utf8" }).status === 0;
const RUN_ID = `t${Math.random().toString(16).slice(2, 8)}`;

function leftovers(): string[] {
  const r = docker(["ps", "-a", "--format", '{{.Label "com.docker.compose.project"}}']);
  return r.stdout.split("\n").filter((p) => p.startsWith("cbench-") && p.includes(`-${RUN_ID}-`));
}

after(() => {
  // Only if the bench itself failed to: this run's projects, by compose's project label.
  for (const project of new Set(leftovers())) {
    const ids = docker(["ps", "-aq", "--filter", `label=com.docker.compose.project=${project}`]);
    const list = ids.stdout.split("\n").filter(Boolean);
    if (list.length) docker(["rm", "-f", "-v", ...list]);
    docker(["network", "rm", `${project}_default`]);
  }
});

test(
  "bun bench/compose.ts 1 counts every run, prints the ratios and cleans up",
  { skip: !HAS_COMPOSE && "docker-compose is not installed", timeout: 170_000 },
  async () => {
    const result = await new Promise<{ code: number | null; out: string; err: string }>(
      (done) => {
        const child = spawn(process.execPath, [join(REPO_ROOT, "bench/compose.ts"), "1"], {
          cwd: REPO_ROOT,
          env: { ...process.env, BENCH_RUN_ID: RUN_ID },
          stdio: ["ignore", "pipe", "pipe"],
        });
        let out = "";
        let err = "";
        child.stdout.on("data", (d) => (out += d));
        child.stderr.on("data", (d) => (err += d));
        child.on("close", (code) => done({ code, out, err }));
      },
    );
    const context = `${result.out}\n${result.err}`;
    assert.equal(result.code, 0, context);
    assert.match(result.out, new RegExp(`^run ${RUN_ID}, rounds: 1 `, "m"), context);
    for (const row of ["sentryctl up (cold)", "sentryctl up (warm)"]) {
      assert.match(result.out, new RegExp(`^${row.replace(/[()]/g, "\\$&")} +1/1 +\\d+ `, "m"));
    }
    for (const row of ["docker-compose up (cold)", "docker-compose up (warm)"]) {
      assert.match(result.out, new RegExp(`^${row.replace(/[()]/g, "\\$&")} +1/1 +\\d+ `, "m"));
    }
    assert.match(result.out, /^ratio cold: \d+\.\d\dx \(target <= 0\.8x\): (met|missed)$/m);
    assert.match(result.out, /^ratio warm: \d+\.\d\dx \(target <= 0\.15x\): (met|missed)$/m);
    assert.doesNotMatch(result.out, /not counted/);
    assert.deepEqual(leftovers(), []);
    const networks = docker(["network", "ls", "--format", "{{.Name}}"]).stdout;
    assert.doesNotMatch(networks, new RegExp(`cbench-[sc]-${RUN_ID}-`));
  },
);
