// Back-pressure of server-sent events (SPEC §7a's stream must not let one reader hurt the
// others): a reader that stops reading is cut once too much waits for it, the others get
// everything in order meanwhile, and a cut reader resumes with Last-Event-ID from the buffer.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createStatusApp } from "./app.ts";
import { readSse, type SseEvent } from "./sse-reader.ts";
import { frame, sseResponse } from "./sse.ts";
import { fakeDeps } from "../../tests/helpers/fake-status.ts";

const HOST = "127.0.0.1:8990";
const enc = new TextEncoder();

function req(path: string, init: RequestInit = {}) {
  const headers = new Headers(init.headers);
  headers.set("host", HOST);
  return new Request(`http://${HOST}${path}`, { ...init, headers });
}

/** An envelope of one attachment of `size` bytes (its frame is about 4/3 of that, base64). */
function attachment(i: number, size: number): Uint8Array<ArrayBuffer> {
  const head = enc.encode(
    `{"n":${i}}\n{"type":"attachment","length":${size},"filename":"a${i}.bin"}\n`,
  );
  const out = new Uint8Array(head.length + size + 1);
  out.set(head);
  out.fill(i % 251, head.length, head.length + size);
  out[out.length - 1] = 0x0a;
  return out;
}

const numberOf = (ev: SseEvent) => (JSON.parse(ev.data) as [{ n: number }])[0].n;

describe("frame", () => {
  test("one line of data is one data field; every line break starts another", () => {
    assert.equal(frame("e", '[{"a":1}]', "7"), 'id: 7\nevent: e\ndata: [{"a":1}]\n\n');
    assert.equal(frame("e", ""), "event: e\ndata: \n\n");
    assert.equal(
      frame("e", "a\r\nb\rc\nd"),
      "event: e\ndata: a\ndata: b\ndata: c\ndata: d\n\n",
    );
    // An id or event name cannot end its line early.
    assert.equal(frame("x\ny", "d", "1\r2"), "id: 1 2\nevent: x y\ndata: d\n\n");
  });
});

describe("sseResponse back-pressure", () => {
  test("a reader that does not read is ended once more than the bound waits; it costs no more", async () => {
    let overflows = 0;
    let channel: { signal: AbortSignal; sendFramed(b: Uint8Array): void } | undefined;
    const res = sseResponse(new Request("http://x/"), (ch) => {
      channel = ch;
    }, { maxQueuedBytes: 10_100, onOverflow: () => overflows++ });
    const chunk = new Uint8Array(1000).fill(0x3a); // 10 fit with the 13-byte connected comment
    for (let i = 0; i < 10; i++) channel!.sendFramed(chunk);
    assert.equal(channel!.signal.aborted, false, "within the bound");
    channel!.sendFramed(chunk);
    assert.equal(channel!.signal.aborted, true, "past the bound the stream ends");
    assert.equal(overflows, 1);
    // What waited is dropped: the body ends (the connected comment may still come first).
    const text = await res.text();
    assert.ok(text.length <= 20, `kept ${text.length} bytes after the cut`);
  });

  test("frames queued while the reader is busy go out as one write, in order", async () => {
    let channel: { send(e: string, d: string): void; close(): void } | undefined;
    const res = sseResponse(new Request("http://x/"), (ch) => {
      channel = ch;
    });
    for (let i = 0; i < 100; i++) channel!.send("n", String(i));
    channel!.close();
    const reader = res.body!.getReader();
    const chunks: string[] = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(new TextDecoder().decode(value));
    }
    assert.ok(chunks.length <= 2, `${chunks.length} writes`);
    const data = [...chunks.join("").matchAll(/^data: (\d+)$/gm)].map((m) => Number(m[1]));
    assert.deepEqual(data, Array.from({ length: 100 }, (_, i) => i));
  });
});

describe("GET /stream with a stalled reader", () => {
  test("the others get every envelope in order; the stalled one is cut and resumes by Last-Event-ID", async () => {
    const app = createStatusApp(fakeDeps({ limits: { envelopeBytes: 4 * 1024 * 1024 } }));
    const stalled = await app.fetch(req("/stream"));
    const ac = new AbortController();
    const live = await app.fetch(req("/stream"));
    const got: SseEvent[] = [];
    const reading = (async () => {
      for await (const ev of readSse(live.body!, ac.signal)) {
        got.push(ev);
        if (got.length === 14) break;
      }
    })();
    // 14 envelopes of 800 KB: ~15 MB of frames, past the 8 MiB a stalled reader may hold.
    for (let i = 0; i < 14; i++) {
      const r = await app.fetch(req("/stream", { method: "POST", body: attachment(i, 800_000) }));
      assert.equal(r.status, 200);
      await new Promise((r) => setTimeout(r, 15)); // past the stream's batching window
    }
    await reading;
    ac.abort();
    assert.deepEqual(got.map(numberOf), Array.from({ length: 14 }, (_, i) => i));

    // The stalled reader now reads: it was ended early, with at most the bound of frames.
    const cut: SseEvent[] = [];
    for await (const ev of readSse(stalled.body!)) cut.push(ev);
    assert.ok(cut.length < 14, `the stalled reader got ${cut.length}`);
    assert.deepEqual(cut.map(numberOf), Array.from({ length: cut.length }, (_, i) => i));

    // Reconnecting with the last id it got replays the rest, in order.
    const resumeAc = new AbortController();
    const resumed = await app.fetch(
      req("/stream", { headers: { "last-event-id": cut.at(-1)?.id ?? "" } }),
    );
    const rest: SseEvent[] = [];
    for await (const ev of readSse(resumed.body!, resumeAc.signal)) {
      rest.push(ev);
      if (cut.length + rest.length === 14) break;
    }
    resumeAc.abort();
    assert.deepEqual([...cut, ...rest].map(numberOf), Array.from({ length: 14 }, (_, i) => i));
  });
});
