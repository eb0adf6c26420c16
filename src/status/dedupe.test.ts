// Dedupe of repeated envelopes (an SDK sending to both SENTRY_DSN and SENTRY_SPOTLIGHT): a
// repeat is answered as the first copy was but not stored, fed, journaled or shown twice, and
// is counted; distinct envelopes are all kept; the bounds and window hold; a restart decides as
// the running server did.

import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { createStatusApp } from "./app.ts";
import { RecentEnvelopes } from "./dedupe.ts";
import { parseEnvelope } from "./envelope.ts";
import { decodeJournal, encodeRecords } from "./journal.ts";
import { fakeDeps } from "../../tests/helpers/fake-status.ts";
import type { StatusDeps } from "./deps.ts";

const HOST = "127.0.0.1:8990";
const enc = new TextEncoder();
const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tempPath(): string {
  const d = mkdtempSync(join(tmpdir(), "dedupe-journal-"));
  dirs.push(d);
  return join(d, "inbox.journal");
}

/** A status app with a settable clock and a record of the duplicates it reported. */
function server(overrides: Partial<StatusDeps> = {}) {
  const clock = { now: Date.UTC(2026, 0, 1, 12, 0, 0) };
  const duplicates: string[] = [];
  const app = createStatusApp(fakeDeps({
    now: () => clock.now,
    onDuplicate: (reason) => duplicates.push(reason),
    ...overrides,
  }));
  const stored: number[] = [];
  const fed: string[] = [];
  app.inbox.events.subscribe((e) => stored.push(e.seq));
  app.inbox.feed.subscribe((e) => fed.push(e.id));
  return { app, clock, duplicates, stored, fed };
}

/** POSTs as the SDK's transport (DSN) or its Spotlight integration (`/stream`) does. */
async function post(
  app: ReturnType<typeof createStatusApp>,
  path: "/api/1/envelope/" | "/api/1/store/" | "/stream",
  body: string,
): Promise<{ status: number; json: unknown }> {
  const res = await app.fetch(
    new Request(`http://${HOST}${path}`, {
      method: "POST",
      headers: {
        host: HOST,
        "content-type": "application/x-sentry-envelope",
        ...(path === "/stream" ? {} : { "x-sentry-auth": "Sentry sentry_key=abc" }),
      },
      body,
    }),
  );
  const text = await res.text();
  return { status: res.status, json: text === "" ? null : JSON.parse(text) };
}

const hex = (i: number) => i.toString(16).padStart(32, "0");

function event(i: number, message = `m${i}`): string {
  const id = hex(i);
  return `{"event_id":"${id}","sent_at":"2026-01-01T12:00:00.000Z"}\n{"type":"event"}\n` +
    `{"event_id":"${id}","message":"${message}","level":"error"}\n`;
}

/** A log container as @sentry/core builds it (time and sequence number per record). */
function logs(time: number, seq = 0, body = "same line"): string {
  const item = {
    version: 2,
    items: [{
      timestamp: time,
      level: "info",
      body,
      attributes: { "sentry.timestamp.sequence": { value: seq, type: "integer" } },
    }],
  };
  return `{"sdk":{"name":"sentry.javascript.node","version":"11.12.0"}}\n` +
    `{"type":"log","item_count":1,"content_type":"application/vnd.sentry.items.log+json"}\n` +
    `${JSON.stringify(item)}\n`;
}

describe("dedupe at ingest", () => {
  test("an event sent to the DSN and to /stream is stored, fed and shown once; both answer 200", async () => {
    const { app, duplicates, stored, fed } = server();
    const first = await post(app, "/api/1/envelope/", event(1));
    const second = await post(app, "/stream", event(1));
    const third = await post(app, "/api/1/envelope/", event(1));
    assert.equal(first.status, 200);
    assert.deepEqual(first.json, { id: hex(1) });
    assert.equal(second.status, 200);
    // A repeat on the DSN path is answered with the same id, as Sentry answers a known event.
    assert.deepEqual(third, { status: 200, json: { id: hex(1) } });
    assert.equal(app.events.size, 1);
    assert.equal(app.events.all().filter((it) => it.id === hex(1)).length, 1);
    assert.equal(app.inbox.feed.size, 1);
    assert.deepEqual(stored.length, 1);
    assert.deepEqual(fed.length, 1);
    assert.deepEqual(duplicates, ["event_id", "event_id"]);
  });

  test("distinct event ids are all kept, and so is an attachment-only envelope for a known event", async () => {
    const { app, duplicates } = server();
    for (let i = 1; i <= 5; i++) assert.equal((await post(app, "/stream", event(i))).status, 200);
    const attachment = `{"event_id":"${hex(3)}"}\n` +
      `{"type":"attachment","length":5,"filename":"a.txt"}\nhello\n`;
    assert.equal((await post(app, "/stream", attachment)).status, 200);
    assert.equal(app.events.size, 6);
    assert.deepEqual(duplicates, []);
  });

  test("a copy with a client report appended (Python's and .NET's transports do) is a copy", async () => {
    const { app, duplicates } = server();
    await post(app, "/stream", event(4));
    const report = `{"type":"client_report"}\n` +
      `{"timestamp":1767268800,"discarded_events":[{"reason":"sample_rate","category":"transaction","quantity":1}]}\n`;
    assert.equal((await post(app, "/api/1/envelope/", event(4) + report)).status, 200);
    assert.equal(app.events.size, 1);
    assert.deepEqual(duplicates, ["event_id"]);
  });

  test("a log batch with a client report appended to one copy is still one batch", async () => {
    const { app, duplicates } = server();
    const report = `{"type":"client_report"}\n` +
      `{"timestamp":1767268800,"discarded_events":[{"reason":"sample_rate","category":"transaction","quantity":1}]}\n`;
    await post(app, "/stream", logs(3));
    await post(app, "/api/1/envelope/", logs(3) + report);
    // The same report after a different batch does not make the two batches one.
    await post(app, "/api/1/envelope/", logs(4) + report);
    assert.equal(app.events.all((it) => it.kind === "log").length, 2);
    assert.deepEqual(duplicates, ["content"]);
  });

  test("replay segments share their replay's id and are all kept; a copy of one is not", async () => {
    const { app, duplicates } = server();
    const segment = (n: number) =>
      `{"event_id":"${hex(7)}","sent_at":"2026-01-01T12:00:0${n}.000Z"}\n` +
      `{"type":"replay_event"}\n{"type":"replay_event","replay_id":"${
        hex(7)
      }","segment_id":${n}}\n` +
      `{"type":"replay_recording","length":19}\n{"segment_id":${n}}\n[]\n`;
    for (const n of [0, 1, 2]) {
      assert.equal((await post(app, "/stream", segment(n))).status, 200);
      assert.equal((await post(app, "/api/1/envelope/", segment(n))).status, 200);
    }
    assert.equal(app.events.size, 3);
    assert.deepEqual(duplicates, ["content", "content", "content"]);
  });

  test("an attachment-only envelope for a known event is kept once, by content", async () => {
    const { app, duplicates } = server();
    await post(app, "/stream", event(3));
    const attachment = `{"event_id":"${hex(3)}"}\n` +
      `{"type":"attachment","length":5,"filename":"a.txt"}\nhello\n`;
    await post(app, "/stream", attachment);
    await post(app, "/api/1/envelope/", attachment);
    assert.equal(app.events.size, 2);
    assert.deepEqual(duplicates, ["content"]);
  });

  test("an event to /store/ (an older SDK) and its envelope to /stream are one event", async () => {
    const { app, duplicates } = server();
    const stored = await post(
      app,
      "/api/1/store/",
      JSON.stringify({ event_id: hex(8), message: "legacy", level: "error" }),
    );
    assert.deepEqual(stored, { status: 200, json: { id: hex(8) } });
    assert.equal((await post(app, "/stream", event(8, "legacy"))).status, 200);
    assert.equal(app.events.size, 1);
    assert.deepEqual(duplicates, ["event_id"]);
  });

  test("an event id in the item only (no envelope header id) is the key too", async () => {
    const { app } = server();
    const body = `{}\n{"type":"transaction"}\n` +
      `{"event_id":"${hex(9)}","type":"transaction","transaction":"GET /"}\n`;
    await post(app, "/stream", body);
    await post(app, "/api/1/envelope/", body);
    assert.equal(app.events.size, 1);
  });

  test("an event with no id at all is never taken for a copy (Sentry gives each its own)", async () => {
    const { app, duplicates } = server();
    const body = `{}\n{"type":"event"}\n{"message":"no id"}\n`;
    await post(app, "/api/1/envelope/", body);
    await post(app, "/api/1/envelope/", body);
    assert.equal(app.events.size, 2);
    assert.deepEqual(duplicates, []);
  });

  test("a log batch sent twice is kept once; batches that differ by time or sequence all stay", async () => {
    const { app, duplicates, fed } = server();
    const t = 1767268800.1234;
    await post(app, "/stream", logs(t));
    await post(app, "/api/1/envelope/", logs(t));
    // The same text logged again (a later time, or the same millisecond with the next sequence
    // number, as @sentry/core stamps it): a new batch, kept.
    await post(app, "/stream", logs(t + 0.001));
    await post(app, "/stream", logs(t, 1));
    assert.equal(app.events.size, 3);
    assert.equal(fed.length, 3);
    assert.deepEqual(duplicates, ["content"]);
    const bodies = app.events.all((it) => it.kind === "log");
    assert.equal(bodies.length, 3);
  });

  test("sessions and span containers without an event id are deduped by content too", async () => {
    const { app } = server();
    const session = `{"sent_at":"2026-01-01T12:00:00.000Z"}\n{"type":"session"}\n` +
      `{"sid":"${
        hex(1)
      }","init":true,"status":"ok","errors":0,"timestamp":"2026-01-01T12:00:00Z"}\n`;
    const spans = `{"sent_at":"2026-01-01T12:00:00.001Z"}\n` +
      `{"type":"span","item_count":1,"content_type":"application/vnd.sentry.items.span.v2+json"}\n` +
      `{"items":[{"trace_id":"${hex(2)}","span_id":"${hex(3).slice(16)}","name":"q",` +
      `"start_timestamp":1,"end_timestamp":2}]}\n`;
    for (const body of [session, spans]) {
      await post(app, "/stream", body);
      await post(app, "/api/1/envelope/", body);
    }
    assert.equal(app.events.size, 2);
  });

  test("content copies count only within the window (by received time)", async () => {
    const { app, clock } = server();
    const window = app.inbox.recent.windowMs;
    await post(app, "/stream", logs(1));
    clock.now += window; // at the edge: still a copy
    await post(app, "/api/1/envelope/", logs(1));
    assert.equal(app.events.size, 1);
    clock.now += window + 1; // past it: a hand-made repeat, taken as new
    await post(app, "/api/1/envelope/", logs(1));
    assert.equal(app.events.size, 2);
  });

  test("DELETE /clear forgets what was taken: the same envelope afterwards is new", async () => {
    const { app } = server();
    await post(app, "/stream", event(1));
    app.inbox.clear();
    await post(app, "/stream", event(1));
    assert.equal(app.events.size, 1);
    assert.equal(app.inbox.feed.size, 1);
  });
});

describe("RecentEnvelopes bounds", () => {
  const env = (body: string) => ({
    body: enc.encode(body),
    envelope: parseEnvelope(enc.encode(body)),
  });

  function take(r: RecentEnvelopes, body: string, at: number): boolean {
    const { body: bytes, envelope } = env(body);
    const v = r.check(envelope, bytes, at);
    if (v.duplicate) return false;
    r.remember(v.key, "x");
    return true;
  }

  test("the last maxIds event ids are remembered; an older one is forgotten", () => {
    const r = new RecentEnvelopes({ maxIds: 3 });
    for (let i = 1; i <= 3; i++) assert.ok(take(r, event(i), 0));
    assert.equal(take(r, event(1), 0), false);
    assert.ok(take(r, event(4), 0)); // forgets 1
    assert.equal(take(r, event(2), 0), false);
    assert.ok(take(r, event(1), 0));
  });

  test("at most maxFingerprints contents are remembered, even within the window", () => {
    const r = new RecentEnvelopes({ maxFingerprints: 2, windowMs: 60_000 });
    assert.ok(take(r, logs(1), 0));
    assert.ok(take(r, logs(2), 1));
    assert.equal(take(r, logs(1), 2), false);
    assert.ok(take(r, logs(3), 3)); // forgets logs(1)
    assert.ok(take(r, logs(1), 4));
  });

  test("a content copy keeps the first copy's answer id", () => {
    const r = new RecentEnvelopes();
    const { body, envelope } = env(logs(1));
    const v = r.check(envelope, body, 0);
    assert.equal(v.duplicate, false);
    if (!v.duplicate) r.remember(v.key, "first-id");
    assert.deepEqual(r.check(envelope, body, 10), {
      duplicate: true,
      reason: "content",
      id: "first-id",
    });
  });
});

describe("dedupe across a restart", () => {
  test("one copy is journaled; after a restart the same event is still a copy", async () => {
    const path = tempPath();
    const first = server({ journalPath: path });
    await post(first.app, "/api/1/envelope/", event(1));
    await post(first.app, "/stream", event(1));
    await post(first.app, "/stream", logs(5));
    await post(first.app, "/api/1/envelope/", logs(5));
    await first.app.inbox.close();
    assert.equal(decodeJournal(readFileSync(path)).length, 2);

    const second = server({ journalPath: path });
    second.clock.now = first.clock.now + 10;
    assert.equal(second.app.inbox.restore(), 2);
    await post(second.app, "/stream", event(1));
    await post(second.app, "/stream", logs(5));
    assert.equal(second.app.events.size, 2);
    assert.deepEqual(second.duplicates, ["event_id", "content"]);
    await second.app.inbox.close();
    assert.equal(decodeJournal(readFileSync(path)).length, 2);
  });

  test("a journal written before dedupe loses its copies on restore", async () => {
    const path = tempPath();
    const feed = createStatusApp(fakeDeps()).inbox.feed;
    const at = Date.UTC(2026, 0, 1, 12, 0, 0);
    const entries = [event(1), event(1), logs(7), logs(7), event(2)].map((body, i) =>
      feed.add({
        received: at + i,
        contentType: "application/x-sentry-envelope",
        body: enc.encode(body),
        projectId: "1",
        sentryKey: null,
        userAgent: null,
      })
    );
    writeFileSync(path, encodeRecords(entries));
    const { app } = server({ journalPath: path });
    assert.equal(app.inbox.restore(), 3);
    assert.equal(app.events.size, 3);
    assert.equal(app.inbox.feed.size, 3);
    await app.inbox.close();
  });
});

test("the inbox remembers at least as many event ids as its buffer holds", () => {
  const small = createStatusApp(fakeDeps({ buffer: { maxEvents: 10 } }));
  assert.equal(small.inbox.recent.maxIds, 1000);
  const big = createStatusApp(fakeDeps({ buffer: { maxEvents: 5000 } }));
  assert.equal(big.inbox.recent.maxIds, 5000);
});
