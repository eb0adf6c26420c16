// End-to-end: `serve` relaunches itself in place with its allocator setting (src/runtime/
// relaunch.ts, docs/status-server.md "Memory allocator"): the process the caller started is the
// one serving (same pid, read from /proc), its environment carries MIMALLOC_PURGE_DELAY=-1 and
// a value the user set is kept; SIGTERM still ends it with 0.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, test } from "node:test";
import { testEnv } from "../helpers/cli.ts";
import { configDir } from "../helpers/config-dir.ts";
import { startServe, type StatusServer, stopServe } from "../helpers/status-server.ts";

const servers: StatusServer[] = [];
after(async () => {
  for (const s of servers) await stopServe(s.process);
});

function environOf(pid: number): Map<string, string> {
  const pairs = readFileSync(`/proc/${pid}/environ`, "utf8").split("\0").filter(Boolean);
  return new Map(pairs.map((p) => [p.slice(0, p.indexOf("=")), p.slice(p.indexOf("=") + 1)]));
}

const linux = process.platform === "linux" ? false : "reads /proc, Linux only";

test("serve runs on as the process it was started as, with the allocator setting", {
  skip: linux,
}, async () => {
  const conf = configDir("{}\n", "relaunch-conf-");
  const server = await startServe(conf, ["--bind", "127.0.0.1:0"]);
  servers.push(server);
  const pid = server.process.child.pid!;
  assert.equal(environOf(pid).get("MIMALLOC_PURGE_DELAY"), "-1");
  const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
  assert.deepEqual(argv.slice(-4), ["serve", "--bind", "127.0.0.1:0", ""]);
  // Printed once: the banner of the relaunched program only.
  assert.equal(server.process.stdout.match(/Status server on /g)?.length, 1);
  const health = await fetch(`${server.base}/health`);
  assert.equal(await health.text(), "ok");
  const exit = await stopServe(server.process);
  assert.equal(exit?.code, 0, server.process.stderr);
});

test("a MIMALLOC_PURGE_DELAY the user set is kept (no relaunch)", { skip: linux }, async () => {
  const conf = configDir("{}\n", "relaunch-kept-conf-");
  const server = await startServe(
    conf,
    ["--bind", "127.0.0.1:0"],
    testEnv({ MIMALLOC_PURGE_DELAY: "10" }),
  );
  servers.push(server);
  assert.equal(environOf(server.process.child.pid!).get("MIMALLOC_PURGE_DELAY"), "10");
  const exit = await stopServe(server.process);
  assert.equal(exit?.code, 0, server.process.stderr);
});
