import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { run } from "../run.ts";
import { captureInputs } from "../../../tests/helpers/process-inputs.ts";

const work = mkdtempSync(join(tmpdir(), "devsvc-cli-"));
after(() => rmSync(work, { recursive: true, force: true }));
const home = join(work, "home");
const code = join(work, "code");
mkdirSync(join(home, ".config", "sentry-devenv"), { recursive: true });
writeFileSync(
  join(home, ".config", "sentry-devenv", "config.ini"),
  "[devenv]\ncoderoot = ~/../code\n",
);

function repo(dir: string, yaml: string) {
  mkdirSync(join(code, dir, "devservices"), { recursive: true });
  writeFileSync(join(code, dir, "devservices", "config.yml"), yaml);
}

repo(
  "app",
  `x-sentry-service-config:
  version: 0.1
  service_name: app
  dependencies:
    redis: {description: Cache}
    worker: {description: Background worker}
  modes:
    default: [redis]
    full: [redis, worker]
x-programs:
  worker: {command: sleep 1000}
services:
  redis: {image: sentryctl-test/redis:7}
`,
);
repo(
  "other",
  `x-sentry-service-config:
  version: 0.1
  service_name: Other
  dependencies: {}
  modes: {default: []}
services: {}
`,
);
repo(
  "broken",
  `x-sentry-service-config:
  version: 0.1
  service_name: broken
  dependencies:
    redis: {description: x}
  modes:
    full: [redis]
services:
  redis: {image: redis}
`,
);
mkdirSync(join(code, "no-config"));

function inputs(cwd = work) {
  const i = captureInputs({ HOME: home, PATH: process.env.PATH }, home, cwd);
  return { i, out: () => i.out.join(""), err: () => i.err.join("") };
}

async function dev(args: string[], cwd?: string) {
  const io = inputs(cwd);
  const status = await run(["devservices", ...args], io.i);
  return { status, out: io.out(), err: io.err() };
}

test("--version and help exit 0", async () => {
  const v = await dev(["--version"]);
  assert.equal(v.status, 0);
  assert.match(v.out, /^devservices \d+\.\d+\.\d+ \(sentryctl\)\n$/);
  const h = await dev(["--help"]);
  assert.equal(h.status, 0);
  assert.match(h.out, /^usage: devservices /);
  const bare = await dev([]);
  assert.equal(bare.status, 2, "argparse: a command is required");
  assert.match(bare.err, /^usage: devservices /);
});

test("list-services: the code root's repos with a config; -a includes stopped ones", async () => {
  const all = await dev(["ls", "-a"]);
  assert.equal(all.status, 0, all.err);
  assert.equal(
    all.out,
    [
      "Services installed locally:",
      "- app",
      "  modes: []",
      "  status: stopped",
      `  location: ${join(code, "app")}`,
      "- Other",
      "  modes: []",
      "  status: stopped",
      `  location: ${join(code, "other")}`,
      "",
    ].join("\n"),
    "broken configs and repos without one are left out",
  );
  const running = await dev(["list-services"]);
  assert.equal(
    running.out,
    "Running services:\n\n2 stopped service(s) not shown. Use --all/-a to see them.\n",
  );
});

test("list-dependencies: by name (case-insensitive) or from the current directory", async () => {
  const byName = await dev(["list-dependencies", "APP"]);
  assert.equal(byName.status, 0, byName.err);
  assert.equal(
    byName.out,
    "Dependencies of app:\n- redis : Cache\n- worker : Background worker\n",
  );
  const here = await dev(["list-dependencies"], join(code, "other"));
  assert.equal(here.out, "No dependencies found for Other\n");
});

test("failures exit 1 with devservices' messages", async () => {
  const unknown = await dev(["up", "nope", "--dry-run"]);
  assert.equal(unknown.status, 1);
  assert.equal(unknown.err, "Service 'nope' not found.\nSupported services:\n- app\n- Other\n");

  const none = await dev(["up", "--dry-run"], join(code, "no-config"));
  assert.equal(none.status, 1);
  assert.equal(
    none.err,
    `No devservices configuration found in ${
      join(code, "no-config", "devservices", "config.yml")
    }. Please specify a service (i.e. \`devservices up sentry\`) or run the command from a directory with a devservices configuration.\n`,
  );

  const invalid = await dev(["up", "--dry-run"], join(code, "broken"));
  assert.equal(invalid.status, 1);
  assert.equal(invalid.err, "Default mode is required in service config\n");

  const mode = await dev(["up", "app", "--mode", "nope", "--dry-run"]);
  assert.equal(mode.status, 1);
  assert.equal(
    mode.err,
    "ModeDoesNotExistError: Mode 'nope' does not exist for service 'app'.\nAvailable modes: default, full\n",
  );
});

test("up --dry-run: the plan as text and JSON; nothing written", async () => {
  const json = await dev(["up", "app", "--mode", "full", "--dry-run", "--json"]);
  assert.equal(json.status, 0, json.err);
  assert.deepEqual(JSON.parse(json.out), {
    projects: [{ name: "app", mode: "full", services: ["redis"], programs: ["worker"] }],
  });
  const text = await dev(["up", "app", "--dry-run"]);
  assert.equal(text.out, "app (mode: default)\n  services: redis\n  programs: -\n");
});

test("toggle: records the runtime; the same runtime again is nothing to do (exit 0)", async () => {
  const local = await dev(["toggle", "app", "local"]);
  assert.equal(local.status, 0, local.err);
  assert.equal(local.err, "app is now running in local runtime\n");
  const again = await dev(["toggle", "app", "local"]);
  assert.equal(again.status, 0);
  assert.equal(again.err, "app is already running in local runtime\n");
  const flip = await dev(["toggle"], join(code, "app"));
  assert.equal(flip.err, "app is now running in containerized runtime\n");
  const bad = await dev(["toggle", "app", "sideways"]);
  assert.equal(bad.status, 1);
});
