// End-to-end: a project file's `up` remembers its passed exec probes as the catalog's `up` does
// (one memo under the state directory), so a second `up` right after the first does not run
// the compose healthcheck's command again. The healthcheck's interval is long, so Docker's own
// HEALTHCHECK has not run yet and cannot vouch: only the memo can spare the exec. The project is
// named per run; cleanup is by its labels only.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli, testEnv } from "../helpers/cli.ts";
import { cleanupComposeProject, docker } from "../helpers/docker.ts";

const P = `upperf-memo-${process.pid}`;
const dir = mkdtempSync(join(tmpdir(), "sentryctl-upmemo-"));
const FILE = join(dir, "compose.yml");
const env = testEnv();

before(() => {
  writeFileSync(
    FILE,
    `services:
  cache:
    image: sentryctl-test/redis:7
    stop_grace_period: 1s
    healthcheck:
      test: ["CMD", "redis-cli", "ping"]
      interval: 300s
`,
  );
  cleanupComposeProject(P);
});
after(() => cleanupComposeProject(P));

/** The exec_create events of one container between two engine times (seconds). */
function execsBetween(id: string, since: string, until: string): string[] {
  const r = docker([
    "events",
    "--since",
    since,
    "--until",
    until,
    "--filter",
    `container=${id}`,
    "--filter",
    "event=exec_create",
    "--format",
    "{{.Action}}",
  ]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.split("\n").filter(Boolean);
}

const up = () => runCli(["-f", FILE, "--project", P, "up"], { env, cwd: dir, timeoutMs: 90_000 });

describe("a project file's up and the probe memo", { timeout: 150_000 }, () => {
  test("a second up right after the first does not run the exec probe again", async () => {
    const first = await up();
    assert.equal(first.code, 0, first.stderr);
    const id = docker(["inspect", "-f", "{{.Id}}", `${P}-cache-1`]).stdout.trim();
    assert.match(id, /^[0-9a-f]{64}$/);
    assert.ok(existsSync(join(env.HOME!, ".sentry", "probes", id)), "the pass is remembered");

    // The engine runs on this host's clock; the first up's exec ended before this moment.
    const since = (Date.now() / 1000).toFixed(3);
    const second = await up();
    assert.equal(second.code, 0, second.stderr);
    const until = (Date.now() / 1000 + 1).toFixed(3);
    assert.equal(
      docker(["inspect", "-f", "{{.Id}}", `${P}-cache-1`]).stdout.trim(),
      id,
      "reused",
    );
    assert.deepEqual(execsBetween(id, since, until), [], "no exec in the second up");
  });

  test("with SENTRY_CONF naming a directory that does not exist, up still runs (no memo)", async () => {
    // A project file's up reads no settings: a missing config directory must not stop it (the
    // memo is only a saving). bench/compose.ts runs this way.
    cleanupComposeProject(P);
    const missing = join(dir, "no-such-conf");
    const r = await runCli(["-f", FILE, "--project", P, "up"], {
      env: { ...env, SENTRY_CONF: missing },
      cwd: dir,
      timeoutMs: 90_000,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      docker(["inspect", "-f", "{{.State.Running}}", `${P}-cache-1`]).stdout.trim(),
      "true",
    );
    assert.equal(existsSync(missing), false, "nothing written where SENTRY_CONF points");
  });
});
