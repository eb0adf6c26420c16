// Unit tests of ingest's request path (SPEC §9 targets, docs/status-server.md "Ingest path"):
// stored items keep their payload's bytes and parse them again when read (the same JSON as
// sent, a container's record by its index), the answer's id is known before the envelope is
// classified (`primaryIdOf` agrees with the store in every case), and an envelope taken by
// `Inbox.take` is stored after the answer yet seen by any read made after it, deduplicated,
// cleared and journaled as one stored at once would be.

import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { parseEnvelope } from "./envelope.ts";
import { EventStore } from "./event-store.ts";
import { EnvelopeFeed } from "./feed.ts";
import { Inbox } from "./inbox.ts";
import { Journal } from "./journal.ts";
import { primaryIdOf, randomId, storedItems } from "./items.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const META = { seq: 1, received: 1_800_000_000_000, projectId: "1" };
const ID_A = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const ID_B = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

function body(header: object, ...items: [object, unknown][]): Uint8Array {
  return enc(
    [JSON.stringify(header), ...items.flatMap(([h, p]) => [JSON.stringify(h), JSON.stringify(p)])]
      .join("\n"),
  );
}

function ingested(bytes: Uint8Array) {
  return { envelope: parseEnvelope(bytes), size: bytes.length, body: bytes };
}

const AT = { projectId: "1", sentryKey: null, received: META.received };

describe("stored items parse their payload again when read", () => {
  test("an event, a log container's records and a session read back as sent", () => {
    const event = { event_id: ID_A, message: "hello", tags: { a: "b" }, extra: { n: [1, 2] } };
    const logs = { items: [{ level: "info", body: "one" }, 7, { level: "warn", body: "two" }] };
    const session = { sid: "s1", status: "ok", attrs: { release: "r1" } };
    const env = parseEnvelope(
      body({}, [{ type: "event" }, event], [{ type: "log" }, logs], [{ type: "session" }, session]),
    );
    const items = storedItems(env, META);
    assert.deepEqual(items.map((i) => i.kind), ["message", "log", "log", "session"]);
    assert.deepEqual(items[0]!.payload, event);
    // The container's non-record entry (7) is skipped; each record is its own item's payload.
    assert.deepEqual(items[1]!.payload, logs.items[0]);
    assert.deepEqual(items[2]!.payload, logs.items[2]);
    assert.deepEqual(items[3]!.payload, session);
    // Read twice, the same value (the kept parse), and what was classified stays.
    assert.equal(items[0]!.payload, items[0]!.payload);
    assert.equal(items[0]!.title, "hello");
    assert.equal(items[2]!.level, "warn");
    assert.equal(items[3]!.release, "r1");
  });

  test("more payloads read than are kept parsed still read back right", () => {
    const n = 300;
    const envs = Array.from(
      { length: n },
      (_, i) => parseEnvelope(body({}, [{ type: "event" }, { message: `m${i}`, extra: { i } }])),
    );
    const items = envs.map((e) => storedItems(e, META)[0]!);
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < n; i++) {
        assert.deepEqual(items[i]!.payload, { message: `m${i}`, extra: { i } });
      }
    }
  });

  test("an attachment's payload is its description, a blank JSON payload is null", () => {
    const bytes = enc(
      `{}\n{"type":"attachment","length":3,"filename":"a.txt","content_type":"text/plain"}\nabc\n` +
        `{"type":"client_report","length":0}\n\n`,
    );
    const items = storedItems(parseEnvelope(bytes), META);
    assert.deepEqual(items[0]!.payload, {
      filename: "a.txt",
      content_type: "text/plain",
      size: 3,
    });
    assert.deepEqual([...items[0]!.bytes!], [...enc("abc")]);
    assert.equal(items[1]!.payload, null);
  });

  test("a /store/-style item without bytes keeps its parsed payload", () => {
    const env = {
      header: {},
      items: [{ type: "event", header: { type: "event" }, json: { message: "kept" }, size: 10 }],
    };
    const it = storedItems(env, META)[0]!;
    assert.deepEqual(it.payload, { message: "kept" });
  });

  test("random ids are 32 lowercase hex characters and do not repeat", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const id = randomId();
      assert.match(id, /^[0-9a-f]{32}$/);
      seen.add(id);
    }
    assert.equal(seen.size, 5000);
  });
});

describe("the answer's id is known before the envelope is classified", () => {
  const cases: [string, Uint8Array][] = [
    ["event with its id", body({}, [{ type: "event" }, { event_id: ID_A }])],
    ["header id only", body({ event_id: ID_A }, [{ type: "event" }, { message: "x" }])],
    ["no id anywhere", body({}, [{ type: "event" }, { message: "x" }])],
    [
      "transaction after a log",
      body({}, [{ type: "log" }, { items: [{ body: "l" }] }], [{
        type: "transaction",
      }, { event_id: ID_B }]),
    ],
    ["logs only, no header id", body({}, [{ type: "log" }, { items: [{ body: "l" }] }])],
    ["logs only, header id", body({ event_id: ID_A }, [{ type: "log" }, { items: [{}] }])],
    [
      "feedback before its event, both the header's id",
      body(
        { event_id: ID_A },
        [{ type: "feedback" }, { contexts: {} }],
        [{ type: "event" }, { message: "x" }],
      ),
    ],
    ["feedback alone with its id", body({}, [{ type: "feedback" }, { event_id: ID_B }])],
    [
      "empty container then feedback",
      body(
        {},
        [{ type: "log" }, { items: [] }],
        [{ type: "feedback" }, { event_id: ID_B }],
      ),
    ],
    ["no items", body({ event_id: ID_A })],
    ["no items, no id", body({})],
  ];
  for (const [name, bytes] of cases) {
    test(name, () => {
      const env = parseEnvelope(bytes);
      const known = primaryIdOf(env);
      const answered = known ?? randomId();
      const store = new EventStore();
      const stored = store.add(env, {
        projectId: "1",
        sentryKey: null,
        received: META.received,
        raw: bytes,
        primaryId: answered,
      });
      assert.equal(stored.primaryId, answered);
      const held = store.envelope(stored.seq)!;
      assert.equal(held.primaryId, answered);
      // The answered id leads to an item, unless none has it: an envelope without items, or
      // whose header's event id names none of its items (as before: logs under an event id).
      const named = held.items.some((i) => i.id === answered);
      if (held.items.length > 0 && answered !== held.header.event_id) assert.ok(named);
      if (named) assert.equal(store.get(answered)?.envelope, stored.seq);
      // Stored without a given id, a known one is what the store picks by itself.
      if (known !== null) {
        const again = new EventStore().add(env, {
          projectId: "1",
          sentryKey: null,
          received: META.received,
          raw: bytes,
        });
        assert.equal(again.primaryId, known);
        assert.equal(store.envelope(stored.seq)!.primaryId, known);
      }
    });
  }
});

describe("Inbox.take: answered now, stored right after", () => {
  function inbox(journal?: Journal) {
    return new Inbox(new EventStore(), new EnvelopeFeed(), journal);
  }

  test("stored on the next turn of the event loop, in the order taken", async () => {
    const box = inbox();
    let stored = 0;
    box.events.subscribe(() => stored++);
    const ids = [0, 1, 2].map((i) =>
      box.take(ingested(body({}, [{ type: "event" }, { message: `m${i}` }])), AT).id
    );
    assert.equal(stored, 0, "not stored while the request is answered");
    await new Promise((r) => setImmediate(r));
    assert.equal(stored, 3);
    assert.deepEqual(box.events.envelopes().map((e) => e.primaryId), ids);
    assert.deepEqual(box.feed.all().map((e) => e.seq), [1, 2, 3]);
  });

  test("any read right after the answer sees the envelope", () => {
    for (
      const read of [
        (b: Inbox, id: string) => b.events.get(id)?.title,
        (b: Inbox) => b.events.page(0, 10)[0]?.title,
        (b: Inbox) => b.events.size === 1 ? "m" : undefined,
        (b: Inbox) => b.feed.all().length === 1 ? "m" : undefined,
        (b: Inbox) => b.feed.replayAfter(null).length === 1 ? "m" : undefined,
        (b: Inbox) => b.events.envelopes()[0]?.items[0]?.title,
      ]
    ) {
      const box = inbox();
      const { id } = box.take(ingested(body({}, [{ type: "event" }, { message: "m" }])), AT);
      assert.equal(read(box, id), "m");
    }
  });

  test("a subscriber added after the answer does not see the envelope twice", () => {
    const box = inbox();
    box.take(ingested(body({}, [{ type: "event" }, { message: "m" }])), AT);
    const seen: number[] = [];
    box.feed.subscribe((e) => seen.push(e.seq));
    assert.equal(box.feed.all().length, 1);
    assert.deepEqual(seen, []);
  });

  test("a repeat taken before the first copy is stored is known, and stored once", async () => {
    const box = inbox();
    const bytes = body({ event_id: ID_A }, [{ type: "event" }, { event_id: ID_A }]);
    const first = box.take(ingested(bytes), AT);
    const second = box.take(ingested(bytes), AT);
    assert.deepEqual(first, { id: ID_A, duplicate: null });
    assert.deepEqual(second, { id: ID_A, duplicate: "event_id" });
    await new Promise((r) => setImmediate(r));
    assert.equal(box.events.size, 1);
  });

  test("clear right after the answer clears the envelope too", async () => {
    const box = inbox();
    box.take(ingested(body({}, [{ type: "event" }, { message: "m" }])), AT);
    box.clear();
    await new Promise((r) => setImmediate(r));
    assert.equal(box.events.size, 0);
    assert.equal(box.feed.size, 0);
  });

  test("close stores and journals what was taken", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "sentryctl-take-")), "inbox.journal");
    const box = inbox(new Journal(path, { maxRecords: 100, maxBytes: 1 << 20 }));
    box.take(ingested(body({}, [{ type: "event" }, { message: "kept" }])), AT);
    await box.close();
    const again = inbox(new Journal(path, { maxRecords: 100, maxBytes: 1 << 20 }));
    assert.equal(again.restore(), 1);
    assert.equal(again.events.page(0, 1)[0]?.title, "kept");
  });
});

describe("item header lines read without decoding them twice", () => {
  test("blank lines between and after items are skipped, whatever whitespace they hold", () => {
    const env = parseEnvelope(enc(
      `{}\n{"type":"event"}\n{"message":"a"}\n \t\r\n\u00a0\n{"type":"log"}\n{"items":[]}\n\n  \n`,
    ));
    assert.deepEqual(env.items.map((i) => i.type), ["event", "log"]);
  });

  test("a non-blank header line that is not JSON is still refused", () => {
    assert.throws(
      () => parseEnvelope(enc(`{}\n{"type":"event"}\n{}\nnot json\n`)),
      /item 2 header is not valid JSON/,
    );
    assert.throws(
      () => parseEnvelope(enc(`{}\n\u00e9\n{}\n`)),
      /item 1 header is not valid JSON/,
    );
  });
});
