import { test } from "node:test";
import assert from "node:assert/strict";
import { decodeUtf8Strict, firstInvalidUtf8, lineColOfByte } from "./utf8.ts";

const bytes = (...b: number[]) => new Uint8Array(b);

test("known invalid sequences are found at their first byte", () => {
  assert.equal(firstInvalidUtf8(new TextEncoder().encode("ascii ü € 𝄞")), -1);
  assert.equal(firstInvalidUtf8(bytes(0x61, 0xff)), 1);
  assert.equal(firstInvalidUtf8(bytes(0x61, 0xc3)), 1, "truncated at the end");
  assert.equal(firstInvalidUtf8(bytes(0xc0, 0x80)), 0, "overlong NUL");
  assert.equal(firstInvalidUtf8(bytes(0xed, 0xa0, 0x80)), 0, "a UTF-16 surrogate");
  assert.equal(firstInvalidUtf8(bytes(0xf4, 0x90, 0x80, 0x80)), 0, "past U+10FFFF");
  assert.equal(firstInvalidUtf8(bytes(0x80)), 0, "a lone continuation byte");
});

test("agrees with the strict decoder on random bytes (bounded fuzz)", () => {
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % 256;
  for (let n = 0; n < 3000; n++) {
    // Mostly valid text with a few random bytes, so both outcomes occur often.
    const text = new TextEncoder().encode(`ab ü€𝄞 ${n}`);
    const b = new Uint8Array(text.length + 2);
    b.set(text);
    b[text.length] = next();
    b[text.length + 1] = next();
    if (n % 3 === 0) b[next() % b.length] = next();
    const valid = decodeUtf8Strict(b) !== undefined;
    assert.equal(firstInvalidUtf8(b) === -1, valid, `bytes ${Array.from(b)}`);
  }
});

test("line and column of a byte count characters, not bytes", () => {
  const b = new TextEncoder().encode("a: 1\nüü: x");
  assert.deepEqual(lineColOfByte(b, 5), { line: 2, col: 1 });
  assert.deepEqual(lineColOfByte(b, 9), { line: 2, col: 3 });
});
