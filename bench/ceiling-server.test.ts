// The ceiling server must pass the status benches' checks, or its figure bounds nothing: the
// readers' parse of its `/stream` data, the ingest bench's item count, and a 400 for what is no
// envelope.

import assert from "node:assert/strict";
import { test } from "node:test";
import { SseParser } from "../src/status/sse-reader.ts";
import { ceilingHandler, spotlightData } from "./ceiling-server.ts";

const EVENT = `{"event_id":"a1"}\n{"type":"event"}\n` +
  `{"event_id":"a1","exception":{"values":[{"type":"Error","value":"boom"}]}}\n`;
const TRANSACTION = `{"event_id":"b2"}\n{"type":"transaction"}\n` +
  `{"type":"transaction","transaction":"GET /"}\n`;
const TWO_ITEMS = `{}\n{"type":"log"}\n{"items":[]}\n{"type":"client_report"}\n{}\n`;

test("spotlightData builds Spotlight's [header, [[item header, payload]]] with each item's type", () => {
  const event = JSON.parse(spotlightData(EVENT)!.data);
  assert.deepEqual(event[0], { event_id: "a1" });
  assert.equal(event[1].length, 1);
  assert.deepEqual(event[1][0][0], { type: "event" });
  // The type of the item, not the nested exception's.
  assert.equal(event[1][0][1].type, "event");
  assert.equal(event[1][0][1].exception.values[0].type, "Error");
  assert.equal(JSON.parse(spotlightData(TRANSACTION)!.data)[1][0][1].type, "transaction");
  const two = spotlightData(TWO_ITEMS)!;
  assert.equal(two.items, 2);
  assert.deepEqual(JSON.parse(two.data)[1].map((i: unknown[]) => i[1]), [
    { type: "log", items: [] },
    { type: "client_report" },
  ]);
  assert.equal(spotlightData("{}\n"), null);
  assert.equal(spotlightData(""), null);
});

test("the ceiling handler counts items, streams every envelope to a reader, refuses non-envelopes", async () => {
  const handle = ceilingHandler();
  const url = (path: string) => `http://127.0.0.1:1${path}`;
  const stream = await handle(new Request(url("/stream")));
  assert.equal(stream.headers.get("content-type"), "text/event-stream");
  const reader = stream.body!.getReader();
  for (const body of [EVENT, TRANSACTION, TWO_ITEMS]) {
    const res = await handle(new Request(url("/api/1/envelope/"), { method: "POST", body }));
    assert.equal(res.status, 200);
  }
  const bad = await handle(new Request(url("/stream"), { method: "POST", body: "{}\n" }));
  assert.equal(bad.status, 400);
  const metrics = await (await handle(new Request(url("/metrics")))).text();
  assert.match(metrics, /^sentryctl_status_ingested_items_total\{[^}]*\} 4$/m);
  assert.match(metrics, /^sentryctl_status_duplicate_envelopes_total\{[^}]*\} 0$/m);

  const parser = new SseParser();
  const decoder = new TextDecoder();
  const events: { event: string; data: string }[] = [];
  while (events.length < 3) {
    const { done, value } = await reader.read();
    assert.equal(done, false, "the stream ended early");
    events.push(...parser.push(decoder.decode(value, { stream: true })));
  }
  await reader.cancel();
  assert.deepEqual(events.map((e) => e.event), Array(3).fill("application/x-sentry-envelope"));
  assert.deepEqual(events.map((e) => JSON.parse(e.data)[1][0][0].type), [
    "event",
    "transaction",
    "log",
  ]);
  assert.equal((await handle(new Request(url("/nothing")))).status, 404);
});
