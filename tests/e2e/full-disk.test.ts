// End-to-end (issue 19 item 12): a state directory on a full file system. A real tmpfs is mounted
// (root only; otherwise the suite is skipped and says why), a user is created, the file system is
// filled, and then `serve` must name the full disk (not "cannot listen … choose another address")
// and leave no empty status-token; `permissions add` must show SQLite's "disk is full", not
// "cannot rollback - no transaction is active". The mount is removed afterwards.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  rmSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli, testEnv } from "../helpers/cli.ts";

const root = process.getuid?.() === 0;
const skip = root ? false : "mounting a tmpfs needs root";
let mnt = "";
let mounted = false;
let conf = "";

/** Writes zeros until the file system refuses (ENOSPC), bounded by the mount's size. */
function fill(dir: string): void {
  const fd = openSync(join(dir, "filler"), "w");
  const chunk = new Uint8Array(4096);
  try {
    for (let i = 0; i < 10_000; i++) writeSync(fd, chunk);
    throw new Error("the tmpfs did not fill up");
  } catch (err) {
    if ((err as { code?: string }).code !== "ENOSPC") throw err;
  } finally {
    closeSync(fd);
  }
}

before(async () => {
  if (!root) return;
  mnt = mkdtempSync(join(tmpdir(), "sentryctl-misc-full-"));
  const m = spawnSync("mount", ["-t", "tmpfs", "-o", "size=512k,mode=0700", "tmpfs", mnt]);
  assert.equal(m.status, 0, String(m.stderr));
  mounted = true;
  conf = join(mnt, "conf");
  mkdirSync(conf, { mode: 0o700 });
  writeFileSync(join(conf, "config.yml"), `system.secret-key: '${"f".repeat(50)}'\n`);
  const made = await runCli(
    [
      "--config",
      conf,
      "createuser",
      "--email",
      "full@example.com",
      "--password",
      "pw",
      "--superuser",
    ],
    { env: testEnv() },
  );
  assert.equal(made.code, 0, made.stderr);
  fill(mnt);
});

after(() => {
  if (mounted) {
    const u = spawnSync("umount", [mnt]);
    assert.equal(u.status, 0, String(u.stderr));
  }
  if (mnt) rmSync(mnt, { recursive: true, force: true });
});

describe("a full state directory", { skip }, () => {
  test("serve names the full disk and leaves no token file", async () => {
    const r = await runCli(["--config", conf, "serve", "--bind", "127.0.0.1:0"], {
      env: testEnv(),
      timeoutMs: 60_000,
    });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /^error: cannot write the status token .*status-token: .*ENOSPC/m);
    assert.match(r.stderr, /hint: the file system holding .* is full/);
    assert.doesNotMatch(r.stderr, /cannot listen|choose another address/);
    const left = readdirSync(conf).filter((n) => n.includes("status-token"));
    assert.deepEqual(left, [], "no status-token, empty or temporary");
  });

  test("permissions add shows SQLite's disk-full error, not a failed rollback", async () => {
    const r = await runCli(
      ["--config", conf, "permissions", "add", "-u", "full@example.com", "-p", "users.admin"],
      { env: testEnv(), timeoutMs: 60_000 },
    );
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /^error: .*disk is full/m);
    assert.match(r.stderr, /hint: the file system holding .* is full/);
    assert.doesNotMatch(r.stderr, /cannot rollback|no transaction is active/);
  });
});
