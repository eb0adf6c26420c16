// The envelope feed and Spotlight's wire format: ids that only grow, replay after
// Last-Event-ID, the bounds, and the JSON shape Spotlight's clients read.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { EnvelopeFeed, EnvelopeIds, parseId } from "./feed.ts";
import { spotlightJson } from "./spotlight-wire.ts";

const enc = new TextEncoder();

function entry(body: string, received = 1_700_000_000_000) {
  return {
    received,
    contentType: "application/x-sentry-envelope",
    body: enc.encode(body),
    projectId: "1",
    sentryKey: null,
    userAgent: null,
  };
}

describe("EnvelopeIds", () => {
  test("ids sort in the order they were made, even within one millisecond or a clock step back", () => {
    const ids = new EnvelopeIds();
    const made = [
      ids.next(5000, 1),
      ids.next(5000, 2),
      ids.next(4000, 3),
      ids.next(6000, 4),
      ids.next(6000, 5),
    ];
    assert.deepEqual([...made].sort(), made);
    assert.equal(new Set(made).size, made.length);
    for (const id of made) {
      assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
    assert.equal(parseId(made[1]!)!.ms, 5000);
    assert.equal(parseId(made[1]!)!.counter, 2n);
    assert.equal(parseId(made[2]!)!.ms, 5000, "the clock stepped back: the time stays");
  });

  test("an id carries its sequence number whole, up to 2^53 - 1, and sorts by it", () => {
    // The layout spelled out with BigInt: 48-bit ms, version 7, 12 + 62 bits of counter.
    const layout = (ms: number, seq: number) => {
      const t = ms.toString(16).padStart(12, "0");
      const c = BigInt(seq);
      const a = ((c >> 62n) & 0xfffn).toString(16).padStart(3, "0");
      const b = ((c & ((1n << 62n) - 1n)) | (2n << 62n)).toString(16).padStart(16, "0");
      return `${t.slice(0, 8)}-${t.slice(8)}-7${a}-${b.slice(0, 4)}-${b.slice(4)}`;
    };
    const seqs = [0, 1, 255, 4096, 2 ** 32 + 5, 2 ** 48 + 1, 2 ** 52 + 3, Number.MAX_SAFE_INTEGER];
    const made = seqs.map((seq) => new EnvelopeIds().next(1_800_000_000_123, seq));
    assert.deepEqual(made, seqs.map((seq) => layout(1_800_000_000_123, seq)));
    assert.deepEqual(made.map((id) => parseId(id)!.counter), seqs.map(BigInt));
    assert.deepEqual([...made].sort(), made);
  });

  test("after observing a replayed id, new ids sort after it", () => {
    const old = new EnvelopeIds();
    const replayed = old.next(9_000_000, 7);
    const ids = new EnvelopeIds();
    ids.observe(replayed);
    assert.ok(ids.next(1000, 8) > replayed);
  });
});

describe("EnvelopeFeed", () => {
  test("replays after Last-Event-ID, or everything when the id is unknown", () => {
    const feed = new EnvelopeFeed();
    const a = feed.add(entry("{}\n"));
    const b = feed.add(entry("{}\n"));
    const c = feed.add(entry("{}\n"));
    assert.deepEqual(feed.replayAfter(a.id).map((e) => e.id), [b.id, c.id]);
    assert.deepEqual(feed.replayAfter(c.id), []);
    assert.equal(feed.replayAfter("nonsense").length, 3);
    assert.equal(feed.replayAfter(undefined).length, 3);
    assert.equal(feed.get(b.id.toUpperCase()), b);
  });

  test("is bounded by count and by bytes, dropping the oldest", () => {
    const feed = new EnvelopeFeed({ maxEntries: 3, maxBytes: 1000 });
    const ids = Array.from({ length: 5 }, () => feed.add(entry("{}\n")).id);
    assert.deepEqual(feed.all().map((e) => e.id), ids.slice(2));
    const big = new EnvelopeFeed({ maxEntries: 100, maxBytes: 250 });
    for (let i = 0; i < 5; i++) big.add(entry(`{}\n${"x".repeat(97)}`));
    assert.equal(big.size, 2);
    assert.ok(big.bytes <= 250);
  });

  test("tells subscribers about each entry and stops when they unsubscribe", () => {
    const feed = new EnvelopeFeed();
    const seen: string[] = [];
    const stop = feed.subscribe((e) => seen.push(e.id));
    const a = feed.add(entry("{}\n"));
    stop();
    feed.add(entry("{}\n"));
    assert.deepEqual(seen, [a.id]);
  });
});

describe("spotlightJson", () => {
  test("header with the envelope id, JSON payloads with their type, attachments as base64", () => {
    const bin = new Uint8Array([0, 1, 2, 255, 10, 13]);
    const parts = [
      enc.encode('{"event_id":"abc","sdk":{"name":"sentry.javascript.node"}}\n'),
      enc.encode('{"type":"event","length":35}\n{"message":"hi",\r\n "level":"error"}\n'),
      enc.encode('{"type":"log","item_count":1}\n{"items":[{"body":"a\\nb"}]}\n'),
      enc.encode(`{"type":"attachment","length":${bin.length},"filename":"x.bin"}\n`),
      bin,
      enc.encode('\n{"type":"attachment","length":5,"content_type":"text/plain"}\nhello\n'),
      enc.encode('{"type":"client_report"}\n{}\n'),
    ];
    const body = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      body.set(p, at);
      at += p.length;
    }
    const text = spotlightJson(body, "0190-id", "node-fetch");
    assert.doesNotMatch(text, /[\r\n]/);
    const [header, items] = JSON.parse(text);
    assert.equal(header.__spotlight_envelope_id, "0190-id");
    assert.equal(header.__spotlight_sender_user_agent, "node-fetch");
    assert.equal(header.event_id, "abc");
    assert.deepEqual(items[0], [{ type: "event", length: 35 }, {
      message: "hi",
      level: "error",
      type: "event",
    }]);
    assert.deepEqual(items[1][1], { items: [{ body: "a\nb" }], type: "log" });
    assert.deepEqual(items[2][1], { data: Buffer.from(bin).toString("base64") });
    assert.deepEqual(items[3][1], { data: "hello" });
    assert.deepEqual(items[4][1], { type: "client_report" });
    assert.equal(items.length, 5);
  });

  test("the item header's type wins over a payload's own, as in Spotlight", () => {
    const text = spotlightJson(enc.encode('{}\n{"type":"event"}\n{"type":"default"}\n'), "i", null);
    assert.equal(JSON.parse(text)[1][0][1].type, "event");
  });
});
