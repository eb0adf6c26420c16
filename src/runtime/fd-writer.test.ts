import { test } from "node:test";
import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import { FdWriter } from "./fd-writer.ts";

/** A stand-in for process.stdout: records writes and listeners. */
class FakeStream extends EventEmitter {
  written: string[] = [];
  write(data: string | Uint8Array) {
    this.written.push(typeof data === "string" ? data : new TextDecoder().decode(data));
    return true;
  }
}

const decode = (b: Uint8Array) => new TextDecoder().decode(b);
const failure = (code: string) => Object.assign(new Error(code), { code });

test("writes go to the descriptor, partial writes continued, no stream created", () => {
  const seen: string[] = [];
  let opened = 0;
  const w = new FdWriter(1, () => (opened++, new FakeStream()), (fd, bytes) => {
    assert.equal(fd, 1);
    const n = Math.min(3, bytes.length); // a descriptor that takes 3 bytes at a time
    seen.push(decode(bytes.subarray(0, n)));
    return n;
  });
  assert.equal(w.write("hello\n"), true);
  assert.equal(w.write(new TextEncoder().encode("ok")), true);
  assert.equal(seen.join(""), "hello\nok");
  assert.equal(opened, 0);
});

test("a full non-blocking descriptor hands the rest to the stream, in order", () => {
  const stream = new FakeStream();
  const seen: string[] = [];
  let calls = 0;
  const w = new FdWriter(1, () => stream, (_fd, bytes) => {
    if (++calls === 2) throw failure("EAGAIN");
    seen.push(decode(bytes.subarray(0, 2)));
    return 2;
  });
  w.write("abcdef");
  assert.deepEqual(seen, ["ab"]);
  assert.deepEqual(stream.written, ["cdef"]);
  w.write("gh");
  assert.deepEqual(stream.written, ["cdef", "gh"], "once streaming, always streaming");
});

test("a closed reader (EPIPE) is remembered and later writes are dropped", () => {
  let calls = 0;
  const w = new FdWriter(1, () => new FakeStream(), () => {
    calls++;
    throw failure("EPIPE");
  });
  assert.equal(w.write("x"), false);
  assert.equal(w.write("y"), false);
  assert.equal(calls, 1);
  assert.equal((w.broken as Error & { code?: string }).code, "EPIPE");
});

test("listening for events switches to the stream (attach's back-pressure and errors)", () => {
  const stream = new FakeStream();
  const direct: string[] = [];
  const w = new FdWriter(2, () => stream, (_fd, b) => (direct.push(decode(b)), b.length));
  w.write("before\n");
  const onDrain = () => {};
  w.on("drain", onDrain);
  w.write("after\n");
  assert.deepEqual(direct, ["before\n"]);
  assert.deepEqual(stream.written, ["after\n"]);
  assert.equal(stream.listenerCount("drain"), 1);
  w.off("drain", onDrain);
  assert.equal(stream.listenerCount("drain"), 0);
});
