// The pages' live stream does not miss what arrives between a page's render and the stream's
// subscription (the cause of the flaky browser test: under load an item posted right after the
// page loaded never appeared). Each list page and the dashboard carry a stamp of the rows they
// rendered; the stream sends the rows at once when they changed since, and nothing when not.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createStatusApp } from "../app.ts";
import { readSse, type SseEvent } from "../sse-reader.ts";
import { fakeDeps } from "../../../tests/helpers/fake-status.ts";

const HOST = "127.0.0.1:8990";
const TOKEN = "t0ken-t0ken-t0ken-t0ken";

function req(path: string, init: RequestInit = {}) {
  const headers = new Headers(init.headers);
  headers.set("host", HOST);
  headers.set("authorization", `Bearer ${TOKEN}`);
  return new Request(`http://${HOST}${path}`, { ...init, headers });
}

type App = ReturnType<typeof createStatusApp>;

async function post(app: App, id: string, extra: Record<string, unknown> = {}) {
  const body = `{"event_id":"${id}"}\n{"type":"event"}\n` +
    `${JSON.stringify({ event_id: id, message: `late ${id}`, level: "error", ...extra })}\n`;
  const res = await app.fetch(req("/api/1/envelope/", { method: "POST", body }));
  assert.equal(res.status, 200);
}

/** The page's live-stream URL, as its script reads it from `data-live`. */
async function liveUrl(app: App, page: string): Promise<string> {
  const html = await (await app.fetch(req(page))).text();
  const m = /data-live="([^"]+)"/.exec(html);
  assert.ok(m, `${page} has a live stream`);
  return m[1]!.replaceAll("&amp;", "&");
}

/** The events the stream sends within `ms` (it stays open: read until then). */
async function eventsWithin(app: App, url: string, ms: number): Promise<SseEvent[]> {
  const ac = new AbortController();
  const res = await app.fetch(req(url, { signal: ac.signal }));
  const out: SseEvent[] = [];
  const timer = setTimeout(() => ac.abort(), ms);
  try {
    for await (const ev of readSse(res.body!, ac.signal)) out.push(ev);
  } catch {
    // Aborted at the deadline.
  } finally {
    clearTimeout(timer);
  }
  return out;
}

describe("live stream after a page's render", () => {
  for (const [page, event] of [["/errors/", "rows"], ["/events/", "rows"], ["/", "events"]]) {
    test(`${page}: an item that arrived before the stream connected is sent at once`, async () => {
      const app = createStatusApp(fakeDeps());
      await post(app, "1".repeat(32));
      const url = await liveUrl(app, page!);
      assert.match(url, /[?&]seen=[0-9a-f]{16}$/);
      // Nothing changed: no rows are sent (a page that is current is not redrawn).
      const quiet = await eventsWithin(app, url, 600);
      assert.deepEqual(quiet.filter((e) => e.event === event), []);
      // One arrives between the render and the subscription: it is sent without another ingest.
      await post(app, "2".repeat(32));
      const sent = (await eventsWithin(app, url, 600)).filter((e) => e.event === event);
      assert.equal(sent.length, 1);
      assert.match(sent[0]!.data, /2{32}/);
      assert.match(sent[0]!.data, /1{32}/);
    });
  }

  test("/traces/: a trace that arrived before the stream connected is sent at once", async () => {
    const app = createStatusApp(fakeDeps());
    const url = await liveUrl(app, "/traces/");
    const trace = "ab".repeat(16);
    const body = `{}\n{"type":"transaction"}\n${
      JSON.stringify({
        type: "transaction",
        transaction: "GET /late",
        start_timestamp: 1,
        timestamp: 2,
        contexts: { trace: { trace_id: trace, span_id: "1".repeat(16), op: "http.server" } },
      })
    }\n`;
    assert.equal(
      (await app.fetch(req("/api/1/envelope/", { method: "POST", body }))).status,
      200,
    );
    const sent = (await eventsWithin(app, url, 600)).filter((e) => e.event === "rows");
    assert.equal(sent.length, 1);
    assert.match(sent[0]!.data, /GET \/late/);
  });

  test("/logs/: a log record that arrived before the stream connected is sent at once", async () => {
    const app = createStatusApp(fakeDeps());
    const url = await liveUrl(app, "/logs/");
    const body = '{}\n{"type":"log"}\n{"items":[{"body":"late log","level":"warn"}]}\n';
    assert.equal(
      (await app.fetch(req("/api/1/envelope/", { method: "POST", body }))).status,
      200,
    );
    const sent = (await eventsWithin(app, url, 600)).filter((e) => e.event === "rows");
    assert.equal(sent.length, 1);
    assert.match(sent[0]!.data, /late log/);
  });

  test("a filtered view's stamp is of its filtered rows: other items change nothing", async () => {
    const app = createStatusApp(fakeDeps());
    await post(app, "3".repeat(32), { level: "warning" });
    const url = await liveUrl(app, "/errors/?level=warning");
    await post(app, "4".repeat(32), { level: "error" });
    const sent = (await eventsWithin(app, url, 600)).filter((e) => e.event === "rows");
    assert.deepEqual(sent, []);
  });
});
