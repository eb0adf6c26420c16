// End-to-end: SIGKILL a `permissions add` while it holds the SQLite write transaction (after the
// insert, before the commit; the test hook SENTRYCTL_TEST_STORE_PAUSE_MS parks it there), again
// and again. The store must stay intact (`PRAGMA integrity_check` = ok), the killed insert must be
// rolled back, and the next process must not wait on a stale lock.

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqlite } from "../../src/runtime/adapter.ts";
import { runCli, testEnv } from "../helpers/cli.ts";
import { RunningCli } from "../helpers/process.ts";

const ROUNDS = 8;

test("SIGKILL mid-transaction, repeated, never corrupts the store nor leaves a half-written row", async () => {
  const home = mkdtempSync(join(tmpdir(), "sentryctl-crash-"));
  const env = testEnv({ HOME: home });
  const db = join(home, ".sentry", "sentryctl.db");
  const made = await runCli(
    ["createuser", "--email", "k@example.com", "--password", "pw", "--superuser"],
    { env },
  );
  assert.equal(made.code, 0, made.stderr);
  for (let i = 0; i < ROUNDS; i++) {
    const child = new RunningCli(
      ["permissions", "add", "-u", "k@example.com", "-p", `perm.${i}`],
      { ...env, SENTRYCTL_TEST_STORE_PAUSE_MS: "30000" },
    );
    // Wait until the row is inserted but not committed: the journal file exists and the writer
    // holds the lock; a reader sees the committed state only.
    const deadline = Date.now() + 20_000;
    for (;;) {
      assert.ok(Date.now() < deadline, `round ${i}: the add never reached its transaction`);
      if (await holdsWriteLock(db)) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    child.child.kill("SIGKILL");
    const exit = await child.exited;
    assert.equal(exit.signal, "SIGKILL");
    // A real add right after: no stale lock, no lost earlier rows.
    const ok = await runCli(["permissions", "add", "-u", "k@example.com", "-p", `ok.${i}`], {
      env,
      timeoutMs: 20_000,
    });
    assert.equal(ok.code, 0, ok.stderr);
  }
  const sqlite = await openSqlite(db);
  try {
    assert.equal(sqlite.prepare("PRAGMA integrity_check").get()!.integrity_check, "ok");
    const perms = sqlite.prepare("SELECT permission FROM sentry_userpermission ORDER BY permission")
      .all().map((r) => r.permission);
    assert.deepEqual(perms, Array.from({ length: ROUNDS }, (_, i) => `ok.${i}`).sort());
  } finally {
    sqlite.close();
  }
});

/** True while another connection holds a write transaction on the file. */
async function holdsWriteLock(path: string): Promise<boolean> {
  let probe;
  try {
    probe = await openSqlite(path);
  } catch {
    return false;
  }
  try {
    probe.exec("PRAGMA busy_timeout = 0");
    probe.exec("BEGIN IMMEDIATE");
    probe.exec("ROLLBACK");
    return false;
  } catch (err) {
    return /locked|busy/i.test((err as Error).message);
  } finally {
    probe.close();
  }
}
