// The inbox's byte bound counts attachments' bytes (SPEC §7a "attachments, bytes kept within
// the buffer's byte bound"), in memory, in GET /stream's feed and on disk: envelopes with a
// large attachment push the oldest out, the journal stays within about twice the bound, and a
// restart brings back only what fits, attachment bytes intact.

import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { fakeDeps } from "../../tests/helpers/fake-status.ts";
import { createStatusApp } from "./app.ts";

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const HOST = "127.0.0.1:8990";
const ATTACHMENT = 4096;
const BOUND = 3 * ATTACHMENT + 2048; // room for three envelopes, not four

/** An event with a 4 KiB attachment whose bytes say which envelope they belong to. */
function envelope(i: number): string {
  const id = i.toString(16).padStart(32, "0");
  const bytes = String(i % 10).repeat(ATTACHMENT);
  return `{"event_id":"${id}"}\n{"type":"event"}\n{"event_id":"${id}","message":"m${i}"}\n` +
    `{"type":"attachment","length":${ATTACHMENT},"filename":"f${i}.txt",` +
    `"content_type":"text/plain"}\n${bytes}\n`;
}

function app(journalPath?: string) {
  return createStatusApp(fakeDeps({ journalPath, buffer: { maxEvents: 1000, maxBytes: BOUND } }));
}

async function post(a: ReturnType<typeof app>, body: string) {
  const res = await a.fetch(
    new Request(`http://${HOST}/api/1/envelope/`, {
      method: "POST",
      headers: { host: HOST },
      body,
    }),
  );
  assert.equal(res.status, 200);
}

describe("the byte bound counts attachments", () => {
  test("in memory and in the stream's feed: the oldest envelopes go first", async () => {
    const a = app();
    for (let i = 1; i <= 8; i++) await post(a, envelope(i));
    assert.ok(a.events.bytes <= BOUND, `${a.events.bytes} bytes held`);
    assert.equal(a.events.size, 3);
    const files = a.events.all((it) => it.kind === "attachment").map((it) => it.filename);
    assert.deepEqual(files, ["f8.txt", "f7.txt", "f6.txt"]);
    const kept = a.events.all((it) => it.kind === "attachment")[0]!;
    assert.equal(kept.bytes!.length, ATTACHMENT);
    assert.equal(new TextDecoder().decode(kept.bytes!.subarray(0, 3)), "888");
    const feed = a.inbox.feed.all();
    assert.ok(feed.reduce((n, e) => n + e.body.length, 0) <= BOUND);
    assert.equal(feed.length, 3);
  });

  test("on disk: the journal stays within about twice the bound; a restart keeps what fits", async () => {
    const dir = mkdtempSync(join(tmpdir(), "spotmisc-bounds-"));
    dirs.push(dir);
    const path = join(dir, "inbox.journal");
    const a = app(path);
    for (let i = 1; i <= 30; i++) await post(a, envelope(i));
    await a.inbox.close();
    const size = (p: string) => (existsSync(p) ? statSync(p).size : 0);
    const onDisk = size(path) + size(`${path}.prev`);
    // Each record adds a small header to its envelope; one batch may overshoot by a record.
    assert.ok(onDisk <= 2 * BOUND + 2 * (ATTACHMENT + 1024), `${onDisk} bytes on disk`);
    const b = app(path);
    b.inbox.restore();
    assert.ok(b.events.bytes <= BOUND);
    assert.deepEqual(
      b.events.all((it) => it.kind === "attachment").map((it) => it.filename),
      ["f30.txt", "f29.txt", "f28.txt"],
    );
    const restored = b.events.all((it) => it.kind === "attachment")[0]!;
    assert.equal(new TextDecoder().decode(restored.bytes!), "0".repeat(ATTACHMENT));
    await b.inbox.close();
  });
});
