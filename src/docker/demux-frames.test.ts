// Frames of every size class: the 4-byte big-endian length must use all its bytes (a decoder
// that reads only the low byte passes every test with lines under 256 bytes).

import { test } from "node:test";
import assert from "node:assert/strict";
import { FrameDecoder } from "./demux.ts";

function frameOf(type: number, length: number, fill: number): Uint8Array {
  const out = new Uint8Array(8 + length);
  out[0] = type;
  out[4] = (length >>> 24) & 0xff;
  out[5] = (length >>> 16) & 0xff;
  out[6] = (length >>> 8) & 0xff;
  out[7] = length & 0xff;
  out.fill(fill, 8);
  return out;
}

for (const length of [255, 256, 257, 4096, 65_535, 65_536, 70_000, 16_777_216]) {
  test(`a ${length}-byte frame comes out whole, followed by a small stderr frame`, () => {
    const d = new FrameDecoder();
    const big = frameOf(1, length, 0x61);
    const small = frameOf(2, 3, 0x62);
    const joined = new Uint8Array(big.length + small.length);
    joined.set(big, 0);
    joined.set(small, big.length);
    const frames = d.push(joined);
    assert.equal(frames.length, 2);
    assert.equal(frames[0]!.stream, "stdout");
    assert.equal(frames[0]!.payload.length, length);
    assert.equal(frames[0]!.payload[length - 1], 0x61);
    assert.equal(frames[1]!.stream, "stderr");
    assert.deepEqual([...frames[1]!.payload], [0x62, 0x62, 0x62]);
    assert.equal(d.leftover, 0);
  });
}

test("a 300-byte frame split in the middle of its length bytes is reassembled", () => {
  const d = new FrameDecoder();
  const f = frameOf(1, 300, 0x7a);
  assert.deepEqual(d.push(f.subarray(0, 6)), []);
  assert.deepEqual(d.push(f.subarray(6, 100)), []);
  const frames = d.push(f.subarray(100));
  assert.equal(frames.length, 1);
  assert.equal(frames[0]!.payload.length, 300);
});
