// End-to-end: `serve --spotlight` listens on Spotlight's own 127.0.0.1:8969 (SPEC §7a), so a real
// @sentry/node app with nothing but SENTRY_SPOTLIGHT=true (the SDK's default sidecar URL,
// http://localhost:8969/stream) lands in the inbox; --spotlight with --bind is a usage error.
// Skipped, saying why, when something else already holds port 8969 on this machine.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createConnection } from "node:net";
import { join } from "node:path";
import { after, test } from "node:test";
import { REPO_ROOT, runCli } from "../helpers/cli.ts";
import { configDir } from "../helpers/config-dir.ts";
import { startServe, type StatusServer, stopServe } from "../helpers/status-server.ts";

function portTaken(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

const taken = await portTaken(8969);
let server: StatusServer | undefined;
after(async () => {
  if (server) await stopServe(server.process);
});

test("--spotlight with --bind is a usage error", async () => {
  const conf = configDir("{}\n", "spotmisc-spot-conf-");
  const r = await runCli(["--config", conf, "serve", "--spotlight", "--bind", "127.0.0.1:0"]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /error: --spotlight and --bind both set the listen address/);
});

test("serve --spotlight takes what an SDK with SENTRY_SPOTLIGHT=true sends", {
  skip: taken ? "127.0.0.1:8969 is already in use on this machine" : false,
}, async () => {
  const conf = configDir("{}\n", "spotmisc-spot-conf-");
  server = await startServe(conf, ["--spotlight"]);
  assert.equal(server.base, "http://127.0.0.1:8969");
  const app = [
    'import * as Sentry from "@sentry/node";',
    "Sentry.init({});",
    'Sentry.captureMessage("found the sidecar on its default port", "info");',
    "await Sentry.flush(10_000);",
    'console.log("flushed");',
  ].join("\n");
  const run = spawnSync("node", ["--input-type=module", "-e", app], {
    cwd: join(REPO_ROOT, "tests/e2e/fixtures"),
    env: { PATH: process.env.PATH!, SENTRY_SPOTLIGHT: "true" },
    encoding: "utf8",
    timeout: 60_000,
  });
  assert.equal(run.stdout, "flushed\n", run.stderr);
  let titles: string[] = [];
  for (let i = 0; i < 50; i++) {
    const list = (await (await server.api("/api/0/events/")).json()) as { title: string }[];
    titles = list.map((it) => it.title);
    if (titles.includes("found the sidecar on its default port")) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.ok(titles.includes("found the sidecar on its default port"), JSON.stringify(titles));
});
