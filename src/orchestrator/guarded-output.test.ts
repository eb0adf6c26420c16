import { test } from "node:test";
import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import { GuardedOutput, writeErrorCode } from "./guarded-output.ts";

class FakeStream extends EventEmitter {
  written: string[] = [];
  full = false;
  throwOnWrite: Error | undefined;
  write(data: string | Uint8Array): boolean {
    if (this.throwOnWrite) throw this.throwOnWrite;
    this.written.push(String(data));
    return !this.full;
  }
}

const withCode = (code: string) => Object.assign(new Error(code), { code });

test("an EPIPE error event is recorded once, reported, and later writes are dropped", () => {
  const s = new FakeStream();
  const g = new GuardedOutput(s, "stdout");
  const seen: string[] = [];
  g.onFailure((e) => seen.push(writeErrorCode(e)));
  assert.equal(g.write("a"), true);
  s.emit("error", withCode("EPIPE"));
  s.emit("error", withCode("EPIPE"));
  assert.deepEqual(seen, ["EPIPE"]);
  assert.equal(g.write("b"), false);
  assert.deepEqual(s.written, ["a"]);
});

test("a write that throws (Deno's ENOSPC) is a failure, not an exception", () => {
  const s = new FakeStream();
  s.throwOnWrite = withCode("ENOSPC");
  const g = new GuardedOutput(s, "stdout");
  assert.equal(g.write("x"), false);
  assert.equal(writeErrorCode(g.failure!), "ENOSPC");
});

test("back-pressure: write answers false and drained() resolves on 'drain'", async () => {
  const s = new FakeStream();
  s.full = true;
  const g = new GuardedOutput(s, "stdout");
  assert.equal(g.write("x"), false);
  let drained = false;
  const wait = g.drained().then(() => (drained = true));
  await new Promise((r) => setTimeout(r, 5));
  assert.equal(drained, false);
  s.emit("drain");
  await wait;
  assert.equal(drained, true);
});

test("a failure wakes whoever waits for a drain", async () => {
  const s = new FakeStream();
  s.full = true;
  const g = new GuardedOutput(s, "stderr");
  g.write("x");
  const wait = g.drained();
  s.emit("error", withCode("EPIPE"));
  await wait;
  assert.equal(g.failure !== undefined, true);
});
