import { test } from "node:test";
import assert from "node:assert/strict";
import { compareTimestamps, FrameDecoder, timestampToSince } from "./demux.ts";

function frame(type: number, text: string): Uint8Array {
  const payload = new TextEncoder().encode(text);
  const out = new Uint8Array(8 + payload.length);
  out[0] = type;
  new DataView(out.buffer).setUint32(4, payload.length);
  out.set(payload, 8);
  return out;
}
const decode = (u: Uint8Array) => new TextDecoder().decode(u);

test("FrameDecoder splits stdout and stderr frames", () => {
  const d = new FrameDecoder();
  const bytes = new Uint8Array([...frame(1, "out\n"), ...frame(2, "err\n")]);
  const frames = d.push(bytes);
  assert.deepEqual(frames.map((f) => [f.stream, decode(f.payload)]), [["stdout", "out\n"], [
    "stderr",
    "err\n",
  ]]);
});

test("FrameDecoder reassembles frames split across chunks, even inside the header", () => {
  const d = new FrameDecoder();
  const bytes = new Uint8Array([...frame(1, "hello world\n"), ...frame(2, "x\n")]);
  const seen: string[] = [];
  for (let i = 0; i < bytes.length; i += 3) {
    for (const f of d.push(bytes.subarray(i, i + 3))) seen.push(`${f.stream}:${decode(f.payload)}`);
  }
  assert.deepEqual(seen, ["stdout:hello world\n", "stderr:x\n"]);
  assert.equal(d.leftover, 0);
});

test("FrameDecoder falls back to raw passthrough for TTY streams", () => {
  const d = new FrameDecoder();
  const frames = d.push(new TextEncoder().encode("plain tty output\n"));
  assert.deepEqual(frames.map((f) => decode(f.payload)), ["plain tty output\n"]);
  assert.deepEqual(d.push(new TextEncoder().encode("more")).map((f) => decode(f.payload)), [
    "more",
  ]);
});

test("timestamps: convert to since, compare at nanosecond precision", () => {
  assert.equal(
    timestampToSince("2026-11-23T10:00:00.5Z"),
    `${Date.parse("2026-11-23T10:00:00Z") / 1000}.500000000`,
  );
  assert.ok(
    compareTimestamps("2026-11-23T10:00:00.000000002Z", "2026-11-23T10:00:00.000000001Z") > 0,
  );
  assert.equal(compareTimestamps("2026-11-23T10:00:00.1Z", "2026-11-23T10:00:00.100000000Z"), 0);
  assert.ok(compareTimestamps("2026-11-23T09:59:59.9Z", "2026-11-23T10:00:00Z") < 0);
});
