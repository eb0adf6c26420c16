// End-to-end (must-show 4): `sentryctl api -X PUT /devservices/redis/ -f state=stopped` against a
// running `sentryctl serve` stops the real container. The token (<state dir>/status-token) comes
// from the config directory, exactly as a user would have it; serve listens on `--bind`, not on
// status.bind, so the address comes from the record serve leaves in the state directory.
// The test's own project label; cleaned up before and after.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { runCli, testEnv } from "../helpers/cli.ts";
import { cleanupProject, docker, inspect } from "../helpers/docker.ts";
import { configDir } from "../helpers/config-dir.ts";
import { eventually } from "../helpers/eventually.ts";
import type { RunningCli } from "../helpers/process.ts";
import { catalogOff } from "../helpers/stack.ts";
import { startServe, stopServe } from "../helpers/status-server.ts";
import { freePort } from "../../src/runtime/free-port.ts";

const PROJECT = "sentryctl-store-api-e2e";
let serve: RunningCli | undefined;
let conf = "";
let bindPort = 0;

before(async () => {
  cleanupProject(PROJECT);
  const run = docker([
    "run",
    "-d",
    "--name",
    `${PROJECT}_redis`,
    "--label",
    `io.sentry.sentryctl.project=${PROJECT}`,
    "--label",
    "io.sentry.sentryctl.service=redis",
    "sentryctl-test/redis:7",
  ]);
  assert.equal(run.code, 0, run.stderr);
  const port = await freePort();
  bindPort = await freePort();
  conf = configDir({
    "config.yml": `system.secret-key: 'api-status-e2e-secret-key-0123456789abcdefghijklmn'\n` +
      `status.bind: '127.0.0.1:${port}'\n`,
    "sentry.conf.yml": [
      "SENTRY_DEVSERVICES:",
      ...catalogOff(["redis"]),
      '  redis: { image: "sentryctl-test/redis:7" }',
      "",
    ].join("\n"),
  }, "sentryctl-api-status-");
  serve = (await startServe(conf, [
    "--project",
    PROJECT,
    "--bind",
    `127.0.0.1:${bindPort}`,
  ])).process;
});

after(async () => {
  await stopServe(serve);
  cleanupProject(PROJECT);
});

const api = (args: string[], env: Record<string, string> = {}) =>
  runCli(["--config", conf, "--project", PROJECT, "api", ...args], { env: testEnv(env) });

describe("api against a running status server", () => {
  test("-X PUT /devservices/redis/ -f state=stopped stops the container (status-token file, status.bind)", async () => {
    await eventually("redis seen running by the status server", async () => {
      const r = await api(["/devservices/redis/"]);
      return r.code === 0 && JSON.parse(r.stdout).state === "running";
    });
    const r = await api(["-X", "PUT", "/devservices/redis/", "-f", "state=stopped"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).service, "redis");
    await eventually("the container to stop", () => {
      const c = inspect<{ State: { Running: boolean } }>("container", `${PROJECT}_redis`);
      return c !== undefined && c.State.Running === false;
    });
  });

  test("--paginate merges the status server's event listing across its Link cursors", async () => {
    // serve listens on --bind, not on status.bind.
    const bind = `127.0.0.1:${bindPort}`;
    const ids = Array.from({ length: 5 }, (_, i) => `${"0".repeat(31)}${i + 1}`);
    for (const id of ids) {
      // Ingest is open (DSN-key auth only): post through the store endpoint, as an SDK would.
      const res = await fetch(`http://${bind}/api/1/store/`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ event_id: id, message: `event ${id}`, level: "error" }),
      });
      assert.equal(res.status < 300, true, `ingest ${res.status}`);
    }
    const one = await api(["/events/?per_page=2"]);
    assert.equal(one.code, 0, one.stderr);
    assert.equal(JSON.parse(one.stdout).length, 2, "one page without --paginate");
    const all = await api(["/events/?per_page=2", "--paginate"]);
    assert.equal(all.code, 0, all.stderr);
    const got = (JSON.parse(all.stdout) as { event_id?: string; id?: string }[])
      .map((e) => e.event_id ?? e.id);
    assert.deepEqual([...got].sort(), ids);
  });

  test("a 404 prints status=404 body=… and exits 1; a wrong token is a 401", async () => {
    const missing = await api(["-X", "PUT", "/devservices/nope/", "-f", "state=stopped"]);
    assert.equal(missing.code, 1);
    assert.equal(missing.stdout, "");
    assert.match(
      missing.stderr,
      /^error: status=404 body=\{"detail":"Service `nope` is not known"\}\n/,
    );
    const bad = await api(["/devservices/", "--token", "not-the-token"]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /^error: status=401 body=/);
    assert.match(bad.stderr, /\nhint: .*--token "\$\(cat .*status-token\)"/);
    // SENTRY_AUTH_TOKEN belongs to system.url-prefix, not to the local server: not sent there.
    const env = await api(["/devservices/redis/"], { SENTRY_AUTH_TOKEN: "not-the-token" });
    assert.equal(env.code, 0, env.stderr);
  });

  test("the record names serve's --bind address and is removed when serve stops", async () => {
    const record = JSON.parse(readFileSync(join(conf, "status-server.json"), "utf8"));
    assert.equal(record.url, `http://127.0.0.1:${bindPort}`);
    serve!.signal("SIGTERM");
    assert.equal((await serve!.exited).code, 0);
    assert.equal(existsSync(join(conf, "status-server.json")), false);
    const gone = await api(["/devservices/"]);
    assert.equal(gone.code, 1);
    assert.match(gone.stderr, /no running `sentryctl serve` recorded its address/);
  });
});
