// Unit tests of the stored-item model: every item kept and classified with an id, containers
// split per record, titles as Sentry computes them, attachments' bytes kept, filters, traces
// (tree order, N+1 and slowest marks) and the store's bounds. Shapes follow what @sentry/node
// 11 sends (span v2 and log containers).

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseEnvelope } from "./envelope.ts";
import { EventStore } from "./event-store.ts";
import { facets, matcher } from "./filters.ts";
import { storedItems } from "./items.ts";
import { errorMarkdown } from "./markdown.ts";
import { N_PLUS_ONE_MIN, traceSpans } from "./traces.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const META = { seq: 1, received: 1_800_000_000_000, projectId: "1" };
const TRACE = "fb642a4f3f5544598e0fa72d37a48cd6";

function envelope(header: object, ...items: [object, object | string][]): string {
  return [
    JSON.stringify(header),
    ...items.flatMap((
      [h, p],
    ) => [JSON.stringify(h), typeof p === "string" ? p : JSON.stringify(p)]),
  ].join("\n");
}

function span(id: string, name: string, op: string, start: number, end: number, parent?: string) {
  return {
    name,
    span_id: id,
    trace_id: TRACE,
    ...(parent ? { parent_span_id: parent } : {}),
    start_timestamp: start,
    end_timestamp: end,
    is_segment: !parent,
    status: "ok",
    attributes: {
      "sentry.op": { value: op, type: "string" },
      "sentry.release": { value: "r1", type: "string" },
    },
  };
}

function items(text: string) {
  return storedItems(parseEnvelope(enc(text)), META);
}

describe("item model", () => {
  test("every item of an envelope is kept, classified and has its own id", () => {
    const got = items(envelope(
      { event_id: "a".repeat(32) },
      [{ type: "event" }, { exception: { values: [{ type: "TypeError", value: "x" }] } }],
      [{ type: "attachment", length: 3, filename: "a.txt", content_type: "text/plain" }, "abc"],
      [{ type: "session" }, { sid: "s", status: "ok", attrs: { release: "r1" } }],
      [{ type: "client_report" }, { discarded_events: [{ quantity: 2 }, { quantity: 3 }] }],
      [{ type: "profile" }, { platform: "node" }],
      [{ type: "feedback" }, { contexts: { feedback: { message: "nice" } } }],
      [{ type: "transaction" }, { transaction: "GET /x", type: "transaction" }],
    ));
    assert.deepEqual(got.map((i) => i.kind), [
      "error",
      "attachment",
      "session",
      "client_report",
      "profile",
      "feedback",
      "transaction",
    ]);
    assert.equal(got[0]!.id, "a".repeat(32), "the event keeps the envelope's event id");
    assert.equal(new Set(got.map((i) => i.id)).size, got.length, "ids are unique");
    assert.ok(got.every((i) => /^[0-9a-f]{32}$/.test(i.id) && i.envelope === 1));
    assert.deepEqual(got.map((i) => i.title), [
      "TypeError: x",
      "Attachment a.txt",
      "Session ok · r1",
      "Client report: 5 discarded",
      "Profile",
      "Feedback: nice",
      "GET /x",
    ]);
    assert.equal(new TextDecoder().decode(got[1]!.bytes), "abc");
    assert.equal(got[1]!.content_type, "text/plain");
    assert.equal(got[2]!.release, "r1");
  });

  test("titles as Sentry computes them: a message event by its message, not 'Error: …'", () => {
    const [m] = items(envelope({}, [{ type: "event" }, { message: "hello", level: "info" }]));
    assert.equal(m!.kind, "message");
    assert.equal(m!.title, "hello");
    assert.equal(m!.level, "info");
    // @sentry/node 11 attaches a synthetic exception (no type) to captureMessage.
    const [s] = items(envelope({}, [{ type: "event" }, {
      message: "hello message",
      exception: { values: [{ value: "hello message", mechanism: { synthetic: true } }] },
    }]));
    assert.equal(s!.kind, "message");
    assert.equal(s!.title, "hello message");
    const [l] = items(envelope({}, [{ type: "event" }, {
      logentry: { formatted: "formatted %s", message: "raw" },
    }]));
    assert.equal(l!.title, "formatted %s");
    const [e] = items(envelope({}, [{ type: "event" }, {
      exception: { values: [{ type: "A", value: "inner" }, { type: "B", value: "outer" }] },
    }]));
    assert.equal(e!.title, "B: outer");
    assert.equal(e!.errorType, "B");
  });

  test("log and span containers become one item per record", () => {
    const got = items(envelope(
      {},
      [{ type: "log", item_count: 2, content_type: "application/vnd.sentry.items.log+json" }, {
        version: 2,
        items: [
          { timestamp: 1.8e9, level: "info", body: "started", trace_id: TRACE, attributes: {} },
          { timestamp: 1.8e9, level: "error", body: "\u001b[31mred\u001b[0m failed" },
        ],
      }],
      [{ type: "span", item_count: 2, content_type: "application/vnd.sentry.items.span.v2+json" }, {
        version: 2,
        items: [
          span("a".repeat(16), "GET /", "http.server", 1, 2),
          span("b".repeat(16), "q", "db", 1.1, 1.2, "a".repeat(16)),
        ],
      }],
    ));
    assert.deepEqual(got.map((i) => [i.kind, i.title, i.level ?? ""]), [
      ["log", "started", "info"],
      ["log", "red failed", "error"],
      ["span", "GET /", ""],
      ["span", "q", ""],
    ]);
    assert.equal(got[0]!.trace_id, TRACE);
    assert.equal(got[2]!.op, "http.server");
    assert.equal(got[3]!.parent_span_id, "a".repeat(16));
    assert.equal(got[2]!.release, "r1");
    assert.equal(got[0]!.timestamp, 1.8e12);
  });

  test("hostile values: titles and fields are strings whatever JSON type was sent", () => {
    const [a] = items(envelope({}, [{ type: "event" }, {
      message: { formatted: { toString: 1, valueOf: 1 } },
      level: { x: 1 },
      release: ["r"],
      exception: { values: [{ type: { toString: 1 }, value: { valueOf: 1 } }, null, 7] },
    }]));
    assert.equal(typeof a!.title, "string");
    assert.equal(a!.level, "error");
    assert.equal(a!.release, undefined);
    const [b] = items(envelope({}, [{ type: "log" }, { items: [{ body: { toString: 1 } }, 5] }]));
    assert.equal(b!.title, '{"toString":1}');
    const [c] = items(envelope({}, [{ type: "transaction" }, { transaction: 42 }]));
    assert.equal(c!.title, "42");
  });
});

describe("filters, traces, store", () => {
  function store() {
    const s = new EventStore();
    const add = (text: string) =>
      s.add(parseEnvelope(enc(text)), {
        projectId: "1",
        sentryKey: null,
        received: 1,
        raw: enc(text),
      });
    return { s, add };
  }

  test("filters by level, type, text, release, environment, project; facets list values", () => {
    const { s, add } = store();
    add(envelope({}, [{ type: "event" }, { message: "warned", level: "warning", release: "r1" }]));
    add(envelope({}, [{ type: "event" }, {
      level: "error",
      environment: "prod",
      exception: { values: [{ type: "TypeError", value: "Boom" }] },
    }]));
    add(envelope({}, [{ type: "log" }, { items: [{ body: "a log", level: "error" }] }]));
    const titles = (f: Parameters<typeof matcher>[1]) =>
      s.all(matcher("errors", f)).map((i) => i.title);
    assert.deepEqual(titles({}), ["TypeError: Boom", "warned"]);
    assert.deepEqual(titles({ level: "warning" }), ["warned"]);
    assert.deepEqual(titles({ type: "TypeError" }), ["TypeError: Boom"]);
    assert.deepEqual(titles({ q: "boom" }), ["TypeError: Boom"]);
    assert.deepEqual(titles({ release: "r1" }), ["warned"]);
    assert.deepEqual(titles({ environment: "prod" }), ["TypeError: Boom"]);
    assert.deepEqual(titles({ project: "2" }), []);
    assert.deepEqual(s.all(matcher("logs", { level: "error" })).map((i) => i.title), ["a log"]);
    assert.deepEqual(facets(s.all(matcher("errors", {}))).level, ["error", "warning"]);
  });

  test("the same query span repeated under one parent is marked N+1; the slowest is marked", () => {
    const root = "r".repeat(16).replace(/r/g, "1");
    const spans = [span(root, "GET /orders", "http.server", 100, 101)];
    for (let i = 0; i < 10; i++) {
      spans.push(
        span(
          `2${i}`.padEnd(16, "0"),
          "SELECT * FROM item WHERE id = %s",
          "db.sql.query",
          100 + i * 0.01,
          100.005 + i * 0.01,
          root,
        ),
      );
    }
    spans.push(span("3".repeat(16), "render", "template", 100.2, 100.9, root));
    const { s, add } = store();
    add(envelope({}, [{ type: "span" }, { version: 2, items: spans }]));
    const rows = traceSpans(s.trace(TRACE));
    assert.equal(rows.length, 12);
    assert.equal(rows[0]!.depth, 0);
    assert.equal(rows.filter((r) => r.marks.includes("n+1")).length, 10);
    assert.deepEqual(rows.find((r) => r.op === "template")!.marks, ["slowest"]);
    // Fewer repeats than the threshold are not a pattern.
    const { s: s2, add: add2 } = store();
    add2(envelope({}, [{ type: "span" }, { version: 2, items: spans.slice(0, N_PLUS_ONE_MIN) }]));
    assert.equal(traceSpans(s2.trace(TRACE)).filter((r) => r.marks.includes("n+1")).length, 0);
  });

  test("a transaction's spans join the trace with its root", () => {
    const { s, add } = store();
    add(envelope({}, [{ type: "transaction" }, {
      type: "transaction",
      transaction: "GET /t",
      start_timestamp: 10,
      timestamp: 11,
      contexts: { trace: { trace_id: TRACE, span_id: "a".repeat(16), op: "http.server" } },
      spans: [{
        span_id: "b".repeat(16),
        parent_span_id: "a".repeat(16),
        op: "db",
        description: "q",
        start_timestamp: 10.1,
        timestamp: 10.2,
      }],
    }]));
    const rows = traceSpans(s.trace(TRACE));
    assert.deepEqual(rows.map((r) => [r.description, r.depth]), [["GET /t", 0], ["q", 1]]);
  });

  test("dropping the oldest envelope drops its items; get() by id; clear notifies", () => {
    const s = new EventStore({ maxEvents: 2 });
    const add = (id: string) => {
      const raw = enc(
        envelope({ event_id: id }, [{ type: "event" }, { message: id }], [{ type: "log" }, {
          items: [{ body: "l" }],
        }]),
      );
      s.add(parseEnvelope(raw), { projectId: "1", sentryKey: null, received: 1, raw });
    };
    add("1".repeat(32));
    add("2".repeat(32));
    add("3".repeat(32));
    assert.equal(s.size, 2);
    assert.equal(s.itemCount, 4);
    assert.equal(s.get("1".repeat(32)), undefined);
    assert.equal(s.get("3".repeat(32))!.title, "3".repeat(32));
    assert.deepEqual(s.envelopes(2).map((e) => e.seq), [3]);
    let cleared = 0;
    s.onClear(() => cleared++);
    s.clear();
    assert.equal(cleared, 1);
    assert.equal(s.itemCount, 0);
  });

  test("an error as Markdown: title, stack with the active line, breadcrumbs, tags", () => {
    const [e] = items(envelope({}, [{ type: "event" }, {
      exception: {
        values: [{
          type: "Error",
          value: "boom",
          stacktrace: {
            frames: [{
              filename: "app.js",
              function: "main",
              lineno: 3,
              in_app: true,
              context_line: "  throw new Error('```')",
            }],
          },
        }],
      },
      breadcrumbs: [{ category: "ui", message: "clicked buy" }],
      tags: { area: "checkout" },
    }]));
    const md = errorMarkdown(e!);
    assert.match(md, /^# Error: boom$/m);
    assert.match(md, /at main \(app\.js:3\) \[in app\]/);
    assert.match(md, /^````$/m, "the fence is longer than any backtick run inside");
    assert.match(md, /- ui: clicked buy/);
    assert.match(md, /- area: checkout/);
  });
});
