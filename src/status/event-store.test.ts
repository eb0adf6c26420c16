// Unit tests of the event store's deferred classification: an envelope is classified when the
// store is first read (or at once while a live page listens), parsed again from its bytes, and
// what a reader sees is the same as if it had been classified on arrival: the same items, ids,
// order and bounds.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseEnvelope } from "./envelope.ts";
import { EventStore } from "./event-store.ts";
import { storedItems } from "./items.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const ID = (n: number) => n.toString(16).padStart(32, "0");

function raw(n: number): Uint8Array {
  return enc(
    [
      JSON.stringify({ event_id: ID(n) }),
      JSON.stringify({ type: "event" }),
      JSON.stringify({ event_id: ID(n), message: `message ${n}`, level: "warning" }),
      JSON.stringify({ type: "log" }),
      JSON.stringify({ items: [{ body: `log ${n}`, level: "info" }, { body: "two" }] }),
    ].join("\n"),
  );
}

function add(store: EventStore, n: number, primaryId?: string) {
  const bytes = raw(n);
  return store.add(parseEnvelope(bytes), {
    projectId: "7",
    sentryKey: "k",
    received: 1_800_000_000_000 + n,
    raw: bytes,
    primaryId,
  });
}

describe("EventStore: classified when first read", () => {
  test("a read sees what classification on arrival gives: items, ids, titles, order", () => {
    const store = new EventStore();
    for (let n = 1; n <= 5; n++) add(store, n);
    assert.equal(store.size, 5);
    const held = store.envelopes();
    assert.deepEqual(held.map((e) => e.seq), [1, 2, 3, 4, 5]);
    for (const e of held) {
      const n = e.seq;
      const eager = storedItems(parseEnvelope(raw(n)), {
        seq: n,
        received: 1_800_000_000_000 + n,
        projectId: "7",
      });
      assert.deepEqual(e.items.map((i) => [i.kind, i.title, i.level]), [
        ["message", `message ${n}`, "warning"],
        ["log", `log ${n}`, "info"],
        ["log", "two", "info"],
      ]);
      assert.deepEqual(e.items.map((i) => i.title), eager.map((i) => i.title));
      assert.equal(e.items[0]!.id, ID(n));
      assert.equal(e.primaryId, ID(n));
      assert.deepEqual(e.header, { event_id: ID(n) });
      assert.equal(e.sentry_key, "k");
      assert.equal(e.project_id, "7");
    }
    assert.equal(store.itemCount, 15);
    assert.equal(store.get(ID(3))!.title, "message 3");
  });

  test("the id ingest answered with is the one the item is found by", () => {
    const store = new EventStore();
    const bytes = enc('{}\n{"type":"log"}\n{"items":[{"body":"no id of its own"}]}');
    const added = store.add(parseEnvelope(bytes), {
      projectId: "1",
      sentryKey: null,
      received: 1,
      raw: bytes,
      primaryId: ID(99),
    });
    assert.equal(added.primaryId, ID(99));
    assert.equal(store.get(ID(99))!.title, "no id of its own");
  });

  test("bounds hold before anyone reads: the oldest unread envelopes are dropped unseen", () => {
    const store = new EventStore({ maxEvents: 3 });
    for (let n = 1; n <= 10; n++) add(store, n);
    assert.equal(store.size, 3);
    assert.deepEqual(store.envelopes().map((e) => e.seq), [8, 9, 10]);
    assert.equal(store.get(ID(2)), undefined);
    const bytes = new EventStore({ maxBytes: raw(9).length + raw(10).length });
    for (let n = 1; n <= 10; n++) add(bytes, n);
    assert.deepEqual(bytes.envelopes().map((e) => e.seq), [9, 10]);
    assert.equal(bytes.bytes, raw(9).length + raw(10).length);
  });

  test("reads and adds interleaved: classified and unread envelopes keep one order and bound", () => {
    const store = new EventStore({ maxEvents: 4 });
    add(store, 1);
    add(store, 2);
    assert.equal(store.page(0, 10).length, 6); // 1 and 2 classified
    add(store, 3);
    add(store, 4);
    add(store, 5); // drops 1, a classified one
    assert.equal(store.size, 4);
    add(store, 6); // drops 2
    add(store, 7); // drops 3, an unread one
    assert.deepEqual(store.envelopes().map((e) => e.seq), [4, 5, 6, 7]);
    assert.deepEqual(
      store.page(0, 100).filter((i) => i.kind === "message").map((i) => i.title),
      ["message 7", "message 6", "message 5", "message 4"],
    );
    assert.equal(store.itemCount, 12);
    assert.equal(store.envelope(5)!.items[0]!.title, "message 5");
  });

  test("thousands of drops, classified and unread, keep the newest in order (the ring compacts)", () => {
    const store = new EventStore({ maxEvents: 3 });
    // Unread: 2500 adds between reads drop more than 1024 unread envelopes in a row.
    for (let n = 1; n <= 5000; n++) {
      add(store, n);
      if (n % 2500 === 0) {
        assert.deepEqual(store.envelopes().map((e) => e.seq), [n - 2, n - 1, n]);
      }
    }
    // Classified: with a listener each envelope is classified as it comes, and dropped so.
    let heard = 0;
    store.subscribe(() => heard++);
    for (let n = 5001; n <= 8000; n++) add(store, n);
    assert.equal(heard, 3000);
    assert.equal(store.size, 3);
    assert.deepEqual(store.envelopes().map((e) => e.seq), [7998, 7999, 8000]);
    assert.equal(store.bytes, raw(7998).length + raw(7999).length + raw(8000).length);
    assert.equal(store.itemCount, 9);
    assert.equal(store.get(ID(7999))!.title, "message 7999");
  });

  test("a listener gets each envelope classified as it comes, after those before it", () => {
    const store = new EventStore();
    add(store, 1);
    const seen: string[] = [];
    store.subscribe((e) => seen.push(`${e.seq}:${e.items[0]!.title}`));
    add(store, 2);
    add(store, 3);
    assert.deepEqual(seen, ["2:message 2", "3:message 3"]);
    assert.equal(store.get(ID(1))!.title, "message 1");
  });

  test("a listener that reads the store while told is told each envelope once", () => {
    const store = new EventStore({ maxEvents: 2 });
    const seen: number[] = [];
    store.subscribe((e) => {
      seen.push(e.seq);
      assert.equal(store.page(0, 1)[0]!.envelope, e.seq);
    });
    for (let n = 1; n <= 5; n++) add(store, n);
    assert.deepEqual(seen, [1, 2, 3, 4, 5]);
    assert.deepEqual(store.envelopes().map((e) => e.seq), [4, 5]);
  });

  test("clear forgets unread envelopes too", () => {
    const store = new EventStore();
    add(store, 1);
    store.page(0, 1);
    add(store, 2);
    store.clear();
    assert.equal(store.size, 0);
    assert.equal(store.bytes, 0);
    assert.deepEqual(store.envelopes(), []);
    add(store, 3);
    assert.deepEqual(store.envelopes().map((e) => e.seq), [3]);
  });

  test("a read while the inbox has taken envelopes stores them first (beforeRead)", () => {
    const store = new EventStore();
    let pending = [4, 5];
    store.beforeRead(() => {
      const now = pending;
      pending = [];
      for (const n of now) add(store, n);
    });
    assert.deepEqual(store.page(0, 10).filter((i) => i.kind === "message").map((i) => i.title), [
      "message 5",
      "message 4",
    ]);
  });
});
