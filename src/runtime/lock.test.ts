import { test } from "node:test";
import assert from "node:assert/strict";
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { acquireLock } from "./lock.ts";
import { FakeClock } from "../../tests/helpers/fake-clock.ts";

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

test("an empty lock (a writer between create and write) is waited on, not taken as stale", async () => {
  const path = fresh();
  writeFileSync(path, "");
  const ctl = new AbortController();
  const waited: number[] = [];
  const waiting = acquireLock(path, {
    signal: ctl.signal,
    pollMs: 5,
    onWait: (pid) => waited.push(pid),
  });
  await new Promise((r) => setTimeout(r, 40));
  ctl.abort();
  assert.equal(await waiting, undefined, "the lock must not be taken while it may be written");
  assert.deepEqual(waited, [0]);
  assert.equal(readFileSync(path, "utf8"), "", "the other writer's file is left alone");
  // Once old enough, a lock without a pid counts as abandoned.
  const later = await acquireLock(path, { clock: new FakeClock(Date.now() + 60_000), pollMs: 5 });
  assert.ok(later);
  assert.equal(readFileSync(path, "utf8").split("\n")[0], String(process.pid));
  later.release();
});

test("two processes stealing the same dead lock: only one holds it", async () => {
  const path = fresh();
  writeFileSync(path, "999999999");
  let other: Awaited<ReturnType<typeof acquireLock>>;
  let hooked = false;
  // A finds the lock stale; before it acts, B finds it stale too, steals it and holds it.
  const a = acquireLock(path, {
    pollMs: 5,
    beforeSteal: async () => {
      if (hooked) return;
      hooked = true;
      other = await acquireLock(path, { pollMs: 5 });
    },
  });
  let aHeld = false;
  void a.then(() => (aHeld = true));
  await new Promise((r) => setTimeout(r, 50));
  assert.ok(other!, "B took the stale lock");
  assert.equal(aHeld, false, "A must not take the lock B holds");
  assert.equal(readFileSync(path, "utf8").split("\n")[0], String(process.pid));
  other!.release();
  const lock = await a;
  assert.ok(lock);
  lock.release();
  assert.deepEqual(readdirSync(dirname(path)), [], "no lock, temporary or aside file is left");
});

test("the lock file never exists without its pid; release leaves a replaced lock alone", async () => {
  const path = fresh();
  const lock = await acquireLock(path);
  assert.ok(lock);
  assert.equal(readFileSync(path, "utf8").split("\n")[0], String(process.pid));
  assert.deepEqual(readdirSync(dirname(path)), ["a.lock"]);
  // Someone replaced it (took it over after deciding we were gone): not ours to delete.
  unlinkSync(path);
  writeFileSync(path, "12345");
  lock.release();
  assert.equal(readFileSync(path, "utf8"), "12345");
});

test("a lock without a pid is waited on, a poll at a time, until it is old enough to take", async () => {
  const path = fresh();
  writeFileSync(path, "");
  const clock = new FakeClock(Date.now());
  const waited: number[] = [];
  const lock = await acquireLock(path, {
    clock,
    unreadableStaleMs: 1_000,
    onWait: (pid) => waited.push(pid),
  });
  assert.ok(lock);
  assert.deepEqual(waited, [0], "told once, with no pid to name");
  // Polled every 100 ms of (fake) time until the file was more than 1 s old: 10 or 11 pauses,
  // depending on how far the file's mtime and the clock's start are apart.
  assert.ok(clock.sleeps.every((ms) => ms === 100), String(clock.sleeps));
  assert.ok(clock.sleeps.length >= 10 && clock.sleeps.length <= 11, String(clock.sleeps.length));
  assert.equal(readFileSync(path, "utf8").split("\n")[0], String(process.pid));
  lock.release();
});
