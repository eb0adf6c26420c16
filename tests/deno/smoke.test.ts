// The Deno smoke suite: the same source runs under Deno (runtime neutrality, SPEC §1). Pure unit
// suites are re-registered here, and the CLI runs as `deno run -A main.ts`.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT } from "../helpers/cli.ts";
import { httpReceiver, parseEnvelope } from "../helpers/receivers.ts";

import "../../src/cli/parse.test.ts";
import "../../src/cli/duration.test.ts";
import "../../src/docker/demux.test.ts";
import "../../src/docker/endpoint.test.ts";
import "../../src/services/resolve.test.ts";
import "../../src/orchestrator/container-config.test.ts";
import "../../src/settings/discover.test.ts";
import "../../src/lib/python.test.ts";
import "../../src/logging/logging.test.ts";
import "../../src/options/manager.test.ts";
import "../../src/settings/config-docs.test.ts";
import "../../src/settings/warnings.test.ts";
import "../../src/settings/chain-logic.test.ts";
import "../../src/settings/files.test.ts";
import "../../src/settings/validators/regions.test.ts";
import "../../src/settings/validators/snuba.test.ts";
import "../../src/settings/fuzz.test.ts";
import "../../src/backends/backends.test.ts";
import "../../src/bootstrap/chain.test.ts";
import "../../src/metrics/pipeline.test.ts";
import "../../src/metrics/prometheus.test.ts";
import "../../src/backends/metrics/statsd.test.ts";
import "../../src/telemetry/options.test.ts";
import "../../src/telemetry/hooks.test.ts";
import "../../src/telemetry/transport.test.ts";
import "../../src/store/store.test.ts";
import "../../src/store/password.test.ts";
import "../../src/backends/permissions/store-adapter.test.ts";
import "../../src/api/client.test.ts";
import "../../src/api/command.test.ts";
import "../../src/runtime/serve.test.ts";
import "../../src/status/app.test.ts";
import "../../src/status/parts.test.ts";
import "../../src/status/fuzz.test.ts";
import "../../src/status/docker-source.test.ts";
import "../../src/ci/env.test.ts";
import "../../src/ci/shebang.test.ts";
import "../../src/ci/project.test.ts";
import "../../src/ci/dry-run.test.ts";
import "../../src/ci/probe-url.test.ts";
import "../../src/ci/with.test.ts";
import "../../src/lib/session.test.ts";
import "../../src/runtime/session.test.ts";
import "../../src/runtime/spawn.test.ts";
import "../../src/compose/project.test.ts";
import "../../src/compose/service.test.ts";
import "../../src/compose/yaml-tree.test.ts";
import "../../src/compose/interpolate.test.ts";
import "../../src/cli/stack-flags.test.ts";

function denoRun(args: string[], env: Record<string, string> = {}) {
  const home = mkdtempSync(join(tmpdir(), "sentryctl-deno-"));
  return spawnSync(process.execPath, ["run", "-A", join(REPO_ROOT, "main.ts"), ...args], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "", HOME: home, NO_COLOR: "1", CI: "true", ...env },
  });
}

test("deno run -A main.ts --version", () => {
  const r = denoRun(["--version"]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^sentryctl \d+\.\d+\.\d+ \(deno /);
});

test("deno: unknown service, unreachable Docker and a bad config map to their exit codes", () => {
  const unknown = denoRun(["attach", "nope"]);
  assert.equal(unknown.status, 1);
  assert.match(unknown.stderr, /Service `nope` is not known or not enabled\./);

  const noDocker = denoRun(["attach", "redis"], { DOCKER_HOST: "unix:///nonexistent" });
  assert.equal(noDocker.status, 4);
  assert.match(noDocker.stderr, /unix:\/\/\/nonexistent \(from DOCKER_HOST\)/);

  const dir = mkdtempSync(join(tmpdir(), "sentryctl-deno-conf-"));
  writeFileSync(join(dir, "config.yml"), "a: [1,\n");
  const bad = denoRun(["--config", dir, "attach", "redis"]);
  assert.equal(bad.status, 3);
  assert.match(bad.stderr, /config\.yml:\d+:\d+/);
});

test("deno: send-event reaches a real HTTP receiver through @sentry/core", async () => {
  const up = await httpReceiver();
  try {
    const home = mkdtempSync(join(tmpdir(), "sentryctl-deno-"));
    const child = spawn(process.execPath, ["run", "-A", join(REPO_ROOT, "main.ts"), "send-event"], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: home,
        NO_COLOR: "1",
        CI: "true",
        SENTRY_DEV_DSN: `http://denokey@127.0.0.1:${up.port}/5`,
      },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const code = await new Promise((resolve) => child.on("close", resolve));
    assert.equal(code, 0, stderr);
    assert.match(stdout, /^[0-9a-f]{32}\n$/);
    assert.equal(stderr, `upstream 127.0.0.1:${up.port} sent (200)\n`);
    assert.equal(up.received.length, 1);
    assert.equal(parseEnvelope(up.received[0]!.body).header.event_id, stdout.trim());
  } finally {
    await up.close();
  }
});
test("deno: createuser and permissions on the SQLite store (node:sqlite under Deno)", () => {
  const home = mkdtempSync(join(tmpdir(), "sentryctl-deno-store-"));
  const env = { HOME: home };
  const made = denoRunIn(home, [
    "createuser",
    "--email",
    "d@example.com",
    "--password",
    "pw",
    "--superuser",
  ], env);
  assert.equal(made.status, 0, made.stderr);
  assert.equal(made.stdout, "User created: d@example.com\n");
  const added = denoRunIn(
    home,
    ["permissions", "add", "-u", "D@EXAMPLE.COM", "-p", "users.admin"],
    env,
  );
  assert.equal(added.stdout, "Added permission `users.admin` to `d@example.com`\n");
  const again = denoRunIn(
    home,
    ["permissions", "add", "-u", "d@example.com", "-p", "users.admin"],
    env,
  );
  assert.equal(again.stdout, "Permission already exists for `d@example.com`\n");
  const list = denoRunIn(home, ["permissions", "list", "-u", "d@example.com"], env);
  assert.equal(list.stdout, "Permissions for `d@example.com`:\n- users.admin\n");
});

function denoRunIn(home: string, args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, ["run", "-A", join(REPO_ROOT, "main.ts"), ...args], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "", HOME: home, NO_COLOR: "1", CI: "true", ...env },
  });
}
