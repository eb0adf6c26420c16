// The inbox journal: what a restart brings back, the bound after compaction, a torn last
// record, clearing, and that ingest answers before the disk write.

import assert from "node:assert/strict";
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { createStatusApp } from "./app.ts";
import { EnvelopeFeed } from "./feed.ts";
import { decodeJournal, Journal } from "./journal.ts";
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
});
