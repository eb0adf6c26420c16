// The inbox journal: what a restart brings back, the bound after compaction, a torn last
// record, clearing, and that ingest answers before the disk write.

import assert from "node:assert/strict";
import {
  appendFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { open } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { createStatusApp } from "./app.ts";
import { EnvelopeFeed, parseId } from "./feed.ts";
import { decodeJournal, encodeRecords, Journal } from "./journal.ts";
import { fakeDeps } from "../../tests/helpers/fake-status.ts";

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tempPath(): string {
  const d = mkdtempSync(join(tmpdir(), "sidecar-journal-"));
  dirs.push(d);
  return join(d, "inbox.journal");
}

const enc = new TextEncoder();

function post(app: ReturnType<typeof createStatusApp>, body: string) {
  return app.fetch(
    new Request("http://127.0.0.1:8990/api/1/envelope/", {
      method: "POST",
      headers: { host: "127.0.0.1:8990", "x-sentry-auth": "Sentry sentry_key=abc" },
      body,
    }),
  );
}

function envelope(i: number): string {
  const id = i.toString(16).padStart(32, "0");
  return `{"event_id":"${id}"}\n{"type":"event"}\n{"event_id":"${id}","message":"m${i}"}\n`;
}

describe("Journal", () => {
  test("records read back with every field as written, whoever sent them and in any order", () => {
    const senders = [
      {
        contentType: "application/x-sentry-envelope",
        projectId: "1",
        sentryKey: "abc",
        userAgent: "sentry.javascript.node/11",
      },
      { contentType: 'text/plain;charset="x"', projectId: "42", sentryKey: null, userAgent: null },
      {
        contentType: "a\nb",
        projectId: "7",
        sentryKey: 'k\u2028"}{',
        userAgent: "ua\\\u0000\ud83d\ude00",
      },
    ];
    // Senders alternate and repeat: each record must carry its own, not the one before it.
    const order = [0, 0, 1, 2, 2, 0, 1, 1, 0, 2];
    // Ids as the feed makes them, and one that would need escaping (the meta line writes plain
    // ids as they are).
    const entries = order.map((k, i) => ({
      id: i === 3 ? 'x"\\\n' : `0190a0b0-c0d0-7000-8000-${String(i).padStart(12, "0")}`,
      seq: i + 1,
      received: 1_800_000_000_000 + i * 0.5,
      body: enc.encode(envelope(i)),
      ...senders[k]!,
    }));
    const back = decodeJournal(encodeRecords(entries));
    assert.equal(back.length, entries.length);
    for (const [i, e] of entries.entries()) {
      const { seq: _seq, ...want } = e;
      const { seq: _backSeq, ...got } = back[i]!;
      assert.deepEqual(got, want);
    }
  });

  test("a batch of more records than one writev takes is written whole, in order", async () => {
    const path = tempPath();
    const feed = new EnvelopeFeed({ maxEntries: 5000 });
    const journal = new Journal(path, { maxRecords: 5000, maxBytes: 64 << 20 });
    // 700 records are 2100 pieces (meta, body, newline): three writev calls.
    const entries = Array.from({ length: 700 }, (_, i) =>
      feed.add({
        received: 1_800_000_000_000 + i,
        contentType: "application/x-sentry-envelope",
        body: enc.encode(envelope(i + 1)),
        projectId: "1",
        sentryKey: i % 2 ? "k" : null,
        userAgent: "ua/ü",
      }));
    for (const e of entries) journal.append(e);
    await journal.close();
    const back = decodeJournal(readFileSync(path));
    assert.deepEqual(back.map((e) => e.id), entries.map((e) => e.id));
    assert.deepEqual(back[699]!.body, entries[699]!.body);
    assert.equal(back[3]!.userAgent, "ua/ü");
    assert.equal(back[3]!.sentryKey, "k");
    // The same bytes as the one-buffer encoding (what older journals hold).
    assert.deepEqual(new Uint8Array(readFileSync(path)), encodeRecords(entries));
  });

  test("under steady appends it writes once per window, not once per write's worth", async () => {
    const path = tempPath();
    // Every write made slow (5 ms, as on a busy disk): envelopes keep arriving during each.
    const probe = await open(`${path}.probe`, "w");
    const proto = Object.getPrototypeOf(probe) as { writev: (...a: unknown[]) => Promise<unknown> };
    await probe.close();
    const writev = proto.writev;
    let writes = 0;
    proto.writev = async function (this: unknown, ...args: unknown[]) {
      writes++;
      await new Promise((r) => setTimeout(r, 5));
      return await writev.apply(this, args);
    };
    try {
      const feed = new EnvelopeFeed({ maxEntries: 5000 });
      const journal = new Journal(path, { maxRecords: 5000, maxBytes: 64 << 20 });
      const entries = [];
      const until = Date.now() + 200;
      for (let i = 1; Date.now() < until; i++) {
        const e = feed.add({
          received: 1_800_000_000_000 + i,
          contentType: "application/x-sentry-envelope",
          body: enc.encode(envelope(i)),
          projectId: "1",
          sentryKey: null,
          userAgent: null,
        });
        entries.push(e);
        journal.append(e);
        await new Promise((r) => setTimeout(r, 1));
      }
      await journal.close();
      assert.deepEqual(
        decodeJournal(readFileSync(path)).map((e) => e.id),
        entries.map((e) => e.id),
      );
      // A write every window of 10 ms plus the write itself: at most ~14 in 200 ms. Writing again
      // as soon as one ended made one every 5 ms (40).
      assert.ok(writes <= 20, `${writes} writes for ${entries.length} appends in 200 ms`);
    } finally {
      proto.writev = writev;
    }
  });

  test("a restarted server gets the inbox back, with the same ids, and new ids sort after", async () => {
    const path = tempPath();
    const first = createStatusApp(fakeDeps({ journalPath: path }));
    for (let i = 1; i <= 3; i++) assert.equal((await post(first, envelope(i))).status, 200);
    await first.inbox.close();
    const before = first.inbox.feed.all().map((e) => e.id);
    assert.equal(statSync(path).mode & 0o777, 0o600);

    const second = createStatusApp(fakeDeps({ journalPath: path }));
    assert.equal(second.inbox.restore(), 3);
    assert.deepEqual(second.inbox.feed.all().map((e) => e.id), before);
    assert.equal(second.events.size, 3);
    const r = second.events.get("3".padStart(32, "0"))!;
    assert.equal(second.events.envelope(r.envelope)!.sentry_key, "abc");
    assert.equal(r.project_id, "1");
    await post(second, envelope(4));
    assert.ok(second.inbox.feed.all()[3]!.id > before[2]!);
    await second.inbox.close();
  });

  test("stays within about twice the bound, keeping the newest", async () => {
    const path = tempPath();
    const a = createStatusApp(fakeDeps({ journalPath: path, buffer: { maxEvents: 5 } }));
    for (let i = 1; i <= 40; i++) await post(a, envelope(i));
    await a.inbox.close();
    const records = (p: string) => existsSync(p) ? decodeJournal(readFileSync(p)).length : 0;
    const kept = records(`${path}.prev`) + records(path);
    assert.ok(kept >= 5 && kept <= 10, `${kept} records`);
    const b = createStatusApp(fakeDeps({ journalPath: path, buffer: { maxEvents: 5 } }));
    b.inbox.restore();
    assert.deepEqual(
      b.events.page(0, 10).map((r) => r.title),
      ["m40", "m39", "m38", "m37", "m36"],
    );
  });

  test("a torn last record is dropped, the ones before it kept", async () => {
    const path = tempPath();
    const feed = new EnvelopeFeed();
    const j = new Journal(path, { maxRecords: 100, maxBytes: 1e9 });
    for (let i = 0; i < 2; i++) {
      j.append(feed.add({
        received: 1,
        contentType: "application/x-sentry-envelope",
        body: enc.encode(envelope(i)),
        projectId: "1",
        sentryKey: null,
        userAgent: null,
      }));
    }
    await j.close();
    appendFileSync(path, 'SCJ1 {"id":"x","length":500}\n{"partial');
    assert.equal(
      new Journal(path, { maxRecords: 1, maxBytes: 1 }).load().length,
      2,
    );
  });

  test("clearing the inbox empties the journal; ingest does not wait for the disk", async () => {
    const path = tempPath();
    const a = createStatusApp(fakeDeps({ journalPath: path }));
    await post(a, envelope(1));
    // Answered, but not yet written: the write happens after the response.
    assert.throws(() => statSync(path));
    await a.inbox.close();
    assert.equal(decodeJournal(readFileSync(path)).length, 1);
    const b = createStatusApp(fakeDeps({ journalPath: path }));
    b.inbox.restore();
    b.inbox.clear();
    await b.inbox.close();
    const c = createStatusApp(fakeDeps({ journalPath: path }));
    assert.equal(c.inbox.restore(), 0);
  });

  test("one sequence: the store's seq of an envelope is its feed id's counter, across a restart", async () => {
    const path = tempPath();
    const same = (app: ReturnType<typeof createStatusApp>) => {
      const entries = app.inbox.feed.all();
      for (const e of entries) {
        assert.equal(parseId(e.id)!.counter, BigInt(e.seq));
        assert.equal(app.events.envelope(e.seq)!.raw, e.body, `seq ${e.seq}`);
      }
      return entries.map((e) => e.seq);
    };
    const a = createStatusApp(fakeDeps({ journalPath: path }));
    for (let i = 1; i <= 3; i++) await post(a, envelope(i));
    assert.deepEqual(same(a), [1, 2, 3]);
    await a.inbox.close();
    const b = createStatusApp(fakeDeps({ journalPath: path }));
    b.inbox.restore();
    await post(b, envelope(4));
    assert.deepEqual(same(b), [1, 2, 3, 4]);
    await b.inbox.close();
  });

  test("a journal from before ids carried the sequence is renumbered in order", async () => {
    const path = tempPath();
    // Old ids: the same millisecond, a counter that restarts per millisecond (0, 1, then 0).
    const old = ["0000000f-4240-7000-8000-000000000000", "0000000f-4240-7000-8000-000000000001"]
      .concat(["0000000f-4628-7000-8000-000000000000"]);
    writeFileSync(
      path,
      encodeRecords(old.map((id, i) => ({
        id,
        seq: 0,
        received: 1_000_000,
        contentType: "application/x-sentry-envelope",
        body: enc.encode(envelope(i + 1)),
        projectId: "1",
        sentryKey: null,
        userAgent: null,
      }))),
    );
    const app = createStatusApp(fakeDeps({ journalPath: path }));
    assert.equal(app.inbox.restore(), 3);
    const entries = app.inbox.feed.all();
    assert.deepEqual(entries.map((e) => e.seq), [1, 2, 3]);
    assert.deepEqual([...entries.map((e) => e.id)].sort(), entries.map((e) => e.id));
    for (const e of entries) assert.equal(parseId(e.id)!.counter, BigInt(e.seq));
    assert.deepEqual(app.events.page(0, 5).map((r) => r.title), ["m3", "m2", "m1"]);
    await app.inbox.close();
  });

  test("a torn tail is cut at start, so what is appended after it comes back too", async () => {
    const path = tempPath();
    const a = createStatusApp(fakeDeps({ journalPath: path }));
    await post(a, envelope(1));
    await a.inbox.close();
    appendFileSync(path, 'SCJ1 {"id":"x","length":500}\n{"partial');
    const b = createStatusApp(fakeDeps({ journalPath: path }));
    assert.equal(b.inbox.restore(), 1);
    await post(b, envelope(2));
    await b.inbox.close();
    const c = createStatusApp(fakeDeps({ journalPath: path }));
    assert.equal(c.inbox.restore(), 2);
    await c.inbox.close();
  });
});
