import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { acquireLock } from "./lock.ts";

const fresh = () => join(mkdtempSync(join(tmpdir(), "sentryctl-lock-")), "a.lock");

test("a lock is exclusive: the second waits until the first releases it", async () => {
  const path = fresh();
  const first = await acquireLock(path);
  assert.ok(first);
  const waited: number[] = [];
  let secondHeld = false;
  const second = acquireLock(path, { onWait: (pid) => waited.push(pid), pollMs: 5 }).then((l) => {
    secondHeld = true;
    return l;
  });
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(secondHeld, false);
  assert.deepEqual(waited, [process.pid]);
  first.release();
  const l2 = await second;
  assert.ok(l2);
  l2.release();
  assert.equal(existsSync(path), false);
});

test("a lock left by a dead process is taken over; an abort gives up waiting", async () => {
  const path = fresh();
  writeFileSync(path, "999999999");
  const lock = await acquireLock(path);
  assert.ok(lock);
  const ctl = new AbortController();
  const waiting = acquireLock(path, { signal: ctl.signal, pollMs: 5 });
  ctl.abort();
  assert.equal(await waiting, undefined);
  lock.release();
});
