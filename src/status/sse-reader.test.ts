// The SSE reader `tail` and the fan-out bench use: fields, comments, multi-line data, the three
// line endings even when a chunk ends between CR and LF, and many events in one chunk.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { SseParser } from "./sse-reader.ts";

describe("SseParser", () => {
  test("events, ids, comments and multi-line data, whatever the line ending", () => {
    const p = new SseParser();
    const got = p.push(
      ": hello\n\nid: 1\nevent: a\ndata: x\ndata: y\n\r\nevent: b\rdata: z\r\rdata:no space\n\n",
    );
    assert.deepEqual(got, [
      { event: "a", data: "x\ny", id: "1" },
      { event: "b", data: "z", id: "1" },
      { event: "message", data: "no space", id: "1" },
    ]);
    assert.equal(p.lastEventId, "1");
  });

  test("a chunk may end anywhere, even between CR and LF", () => {
    const text = "id: 7\r\nevent: e\r\ndata: one\r\ndata: two\r\n\r\ndata: three\r\n\r\n";
    for (let cut = 0; cut <= text.length; cut++) {
      const p = new SseParser();
      const got = [...p.push(text.slice(0, cut)), ...p.push(text.slice(cut))];
      assert.deepEqual(got, [
        { event: "e", data: "one\ntwo", id: "7" },
        { event: "message", data: "three", id: "7" },
      ], `cut at ${cut}`);
    }
  });

  test("a chunk of many events comes out whole and in order", () => {
    const n = 5000;
    let text = "";
    for (let i = 0; i < n; i++) {
      text += `id: ${i}\nevent: env\ndata: [${i},"${"x".repeat(200)}"]\n\n`;
    }
    const got = new SseParser().push(text);
    assert.equal(got.length, n);
    got.forEach((e, i) => {
      assert.equal(e.id, String(i));
      assert.equal(JSON.parse(e.data)[0], i);
    });
  });
});
