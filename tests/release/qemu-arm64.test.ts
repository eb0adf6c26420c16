// The linux-arm64 release binary on an x86-64 host under qemu user emulation (issue #13,
// must-show 2): `--version`, `config validate`, and `attach` of a local image against the real
// Docker engine, where SIGINT (Ctrl-C) stops and removes the container and exits 0. The binary
// is emulated; the engine, socket and image are the host's. Needs Debian's qemu-user-static and
// libc6-arm64-cross (scripts/ci/install-deps.sh).

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { testEnv } from "../helpers/cli.ts";
import { cleanupProject } from "../helpers/docker.ts";
import { ensureRelease, NPM_DIR, projectContainers, versionLine } from "./release.ts";

const PROJECT = "sentryctl-dist-arm64";
const BINARY = join(NPM_DIR, "linux-arm64/bin/sentryctl");
const QEMU = ["qemu-aarch64-static", "-L", "/usr/aarch64-linux-gnu", BINARY];

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
}

/** Starts the emulated binary; `onOutput` sees everything printed so far. */
function emulate(
  args: string[],
  onOutput?: (out: string, kill: (s: NodeJS.Signals) => void) => void,
) {
  const [cmd, ...pre] = QEMU;
  const child = spawn(cmd!, [...pre, ...args], {
    env: testEnv(),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const seen = (d: Buffer) => {
    out += d;
    onOutput?.(out, (s) => child.kill(s));
  };
  child.stdout.on("data", seen);
  child.stderr.on("data", seen);
  const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
  return new Promise<Run>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, out });
    });
  });
}

const conf = mkdtempSync(join(tmpdir(), "sentryctl-dist-arm64-"));
// No published ports: nothing to collide with other suites on the shared host.
writeFileSync(
  join(conf, "sentry.conf.yml"),
  "SENTRY_DEVSERVICES:\n  redis:\n    image: sentryctl-test/redis:7\n    command: null\n" +
    "    ports: null\n",
);

describe("linux-arm64 binary under qemu", { timeout: 240_000 }, () => {
  before(() => {
    ensureRelease();
    cleanupProject(PROJECT);
  });
  after(() => {
    cleanupProject(PROJECT);
    rmSync(conf, { recursive: true, force: true });
  });

  test("--version names linux-arm64", async () => {
    const r = await emulate(["--version"]);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, versionLine("linux-arm64"));
  });

  test("config validate runs the whole settings chain", async () => {
    const r = await emulate(["--config", conf, "config", "validate"]);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /^Configuration OK: /m);
  });

  test("attach redis against the host engine; SIGINT removes the container, exit 0", async () => {
    let interrupted = false;
    let sawContainer: string[] = [];
    const r = await emulate(
      ["--config", conf, "--project", PROJECT, "attach", "redis"],
      (out, kill) => {
        if (!interrupted && /Ready to accept connections/.test(out)) {
          interrupted = true;
          sawContainer = projectContainers(PROJECT);
          kill("SIGINT");
        }
      },
    );
    assert.ok(interrupted, `redis never became ready:\n${r.out}`);
    assert.deepEqual(sawContainer, [`${PROJECT}_redis`]);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /Stopping redis/);
    assert.deepEqual(projectContainers(PROJECT), []);
  });
});
