// SPEC §3b must-show 2: the real configs of ../shared/corpus/devservices/, placed in devservices'
// cache (a temporary HOME) as the repos they name; `up --mode M --offline --dry-run --json` of
// sentry's and snuba's configs plans exactly the projects, services and programs each mode
// reaches. The expectation is computed here, straight from the YAML, by a separate walk.

import assert from "node:assert/strict";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { after, test } from "node:test";
import { parse } from "yaml";
import { run } from "../run.ts";
import { captureInputs } from "../../../tests/helpers/process-inputs.ts";

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
// Beside the checkout (main, CI's clone); a worktree one level deeper finds the same directory.
const CORPUS = [resolve(REPO_ROOT, "../shared/corpus"), resolve(REPO_ROOT, "../../shared/corpus")]
  .map((d) => join(d, "devservices"))
  .find((d) => existsSync(d)) ?? join(resolve(REPO_ROOT, "../shared/corpus"), "devservices");

// deno-lint-ignore no-explicit-any
type Raw = Record<string, any>;

const work = mkdtempSync(join(tmpdir(), "devsvc-corpus-"));
after(() => rmSync(work, { recursive: true, force: true }));
const home = join(work, "home");

/** repo_name → parsed config, from `<repo_name>.config.yml`. */
const repos = new Map<string, Raw>();
for (const file of readdirSync(CORPUS).filter((f) => f.endsWith(".config.yml"))) {
  const name = file.slice(0, -".config.yml".length);
  repos.set(name, parse(readFileSync(join(CORPUS, file), "utf8"), { merge: true }) as Raw);
  // In the cache as devservices lays it out, and as a checkout of its own (the root).
  for (
    const dir of [
      join(home, ".cache/sentry-devservices/dependencies/v1", name),
      join(work, "code", name),
    ]
  ) {
    mkdirSync(join(dir, "devservices"), { recursive: true });
    copyFileSync(join(CORPUS, file), join(dir, "devservices", "config.yml"));
  }
}

interface Expected {
  modes: Set<string>;
  services: Set<string>;
  programs: Set<string>;
  deps: Set<string>;
}

/** The projects a mode reaches, or undefined when it reaches a repo the corpus lacks. */
function expectedFor(rootRepo: string, mode: string): Map<string, Expected> | undefined {
  const out = new Map<string, Expected>();
  let complete = true;
  const walk = (raw: Raw, m: string, isRoot: boolean) => {
    const sc = raw["x-sentry-service-config"];
    const entry = out.get(sc.service_name) ??
      { modes: new Set(), services: new Set(), programs: new Set(), deps: new Set() };
    out.set(sc.service_name, entry);
    if (entry.modes.has(m)) return;
    entry.modes.add(m);
    for (const name of sc.modes[m] as string[]) {
      const dep = sc.dependencies[name];
      if (dep.remote) {
        const child = repos.get(dep.remote.repo_name);
        if (!child) {
          complete = false;
          continue;
        }
        entry.deps.add(child["x-sentry-service-config"].service_name);
        walk(child, dep.remote.mode ?? "default", false);
      } else if (name in (raw.services ?? {})) entry.services.add(name);
      else if (isRoot && name in (raw["x-programs"] ?? {})) entry.programs.add(name);
    }
  };
  walk(repos.get(rootRepo)!, mode, true);
  return complete ? out : undefined;
}

function inputs(cwd: string) {
  const i = captureInputs({ HOME: home, PATH: process.env.PATH }, home, cwd);
  return { i, out: () => i.out.join(""), err: () => i.err.join("") };
}

for (const rootRepo of ["sentry", "snuba"]) {
  // A loaded machine reads sentry's 476-line file slowly (compose's reader): a generous limit.
  test(
    `corpus: ${rootRepo}: every mode whose repos the corpus holds plans exactly what it reaches`,
    { timeout: 120_000 },
    async () => {
      assert.ok(existsSync(CORPUS), `corpus at ${CORPUS}`);
      const modes = Object.keys(repos.get(rootRepo)!["x-sentry-service-config"].modes);
      let checked = 0;
      for (const mode of modes) {
        const expected = expectedFor(rootRepo, mode);
        if (!expected) continue;
        checked++;
        const io = inputs(join(work, "code", rootRepo));
        const code = await run(
          ["devservices", "up", "--mode", mode, "--offline", "--dry-run", "--json"],
          io.i,
        );
        assert.equal(code, 0, `${mode}: ${io.err()}`);
        const doc = JSON.parse(io.out()) as {
          projects: { name: string; mode: string; services: string[]; programs: string[] }[];
        };
        const names = doc.projects.map((p) => p.name);
        assert.deepEqual(new Set(names), new Set(expected.keys()), `${mode}: projects`);
        assert.equal(names.length, expected.size, `${mode}: each project once`);
        assert.equal(names[names.length - 1], rootRepo, `${mode}: the root comes last`);
        for (const p of doc.projects) {
          const e: Expected = expected.get(p.name)!;
          assert.deepEqual(new Set(p.mode.split(",")), e.modes, `${mode}: ${p.name} modes`);
          assert.deepEqual(new Set(p.services), e.services, `${mode}: ${p.name} services`);
          assert.equal(p.services.length, e.services.size);
          assert.deepEqual(new Set(p.programs), e.programs, `${mode}: ${p.name} programs`);
          for (const dep of e.deps) {
            assert.ok(
              names.indexOf(dep) < names.indexOf(p.name),
              `${mode}: ${dep} before ${p.name}`,
            );
          }
        }
      }
      // sentry: 11 of its 20 modes reach only corpus repos (default, migrations, taskbroker,
      // taskworker, rabbitmq, memcached, tracing, crons, replay, ingest, minimal); snuba: all 4.
      assert.equal(checked, rootRepo === "sentry" ? 11 : 4, "modes checked");
    },
  );
}

test("corpus: a mode reaching a repo the cache lacks fails offline with devservices' words", async () => {
  const io = inputs(join(work, "code", "sentry"));
  const code = await run(
    ["devservices", "up", "--mode", "symbolicator", "--offline", "--dry-run", "--json"],
    io.i,
  );
  assert.equal(code, 1);
  assert.equal(io.out(), "");
  assert.match(
    io.err(),
    /^Dependency not installed correctly: symbolicator \(https:\/\/github\.com\/getsentry\/symbolicator\.git\) on master\n/,
  );
});
