// `tail`'s rows and formats, and following a real (in-process) status server: the buffer
// first, then live items, filtered by kind, resumed after a dropped connection.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createStatusApp } from "./app.ts";
import { realClock } from "../runtime/clock.ts";
import { followStream } from "./tail.ts";
import { envelopeRows, formatRow, type TailKind } from "./tail-format.ts";
import { fakeDeps } from "../../tests/helpers/fake-status.ts";

const T = 1_767_268_800; // 2026-01-01T12:00:00Z in seconds

const ERROR = [{ event_id: "e1" }, [[{ type: "event" }, {
  event_id: "e1",
  timestamp: T,
  level: "error",
  release: "1.0",
  exception: {
    values: [{ type: "Wrapped", value: "inner" }, {
      type: "TypeError",
      value: 'bad "thing"\nsecond line',
      stacktrace: {
        frames: [
          { filename: "lib.js", lineno: 1, in_app: false },
          { filename: "app.js", lineno: 11, function: "handler", in_app: true },
          { filename: "vendor.js", lineno: 3, in_app: false },
        ],
      },
    }],
  },
}]]];
const LOGS = [{}, [[{ type: "log", item_count: 2 }, {
  items: [
    {
      timestamp: T,
      level: "warn",
      body: "disk low",
      trace_id: "abc",
      attributes: { free: { value: 3, type: "integer" }, "sentry.sdk.name": { value: "x" } },
    },
    { timestamp: T + 1, level: "info", body: "ok" },
  ],
}]]];
const TX = [{}, [[{ type: "transaction" }, {
  transaction: "GET /users",
  start_timestamp: T,
  timestamp: T + 0.25,
  contexts: { trace: { trace_id: "t1", op: "http.server", status: "ok" } },
  spans: [{}, {}],
}], [{ type: "attachment", length: 12, filename: "a.txt", content_type: "text/plain" }, {
  data: "hello",
}], [{ type: "session" }, { status: "ok", sid: "s1" }]]];

const all = new Set<TailKind>(["all"]);

describe("envelopeRows", () => {
  test("errors are titled by the raised exception and located at the last in-app frame", () => {
    const [row] = envelopeRows(ERROR, all, 0);
    assert.equal(row!.message, 'TypeError: bad "thing"\nsecond line');
    assert.deepEqual(row!.fields, {
      at: "app.js:11",
      function: "handler",
      event_id: "e1",
      release: "1.0",
    });
    assert.equal(row!.time, T * 1000);
  });

  test("a log batch gives one row per record; kinds filter", () => {
    const rows = envelopeRows(LOGS, new Set(["logs"]), 0);
    assert.deepEqual(rows.map((r) => [r.level, r.message]), [["warn", "disk low"], ["info", "ok"]]);
    assert.deepEqual(rows[0]!.fields, { free: 3, trace_id: "abc" });
    assert.equal(envelopeRows(LOGS, new Set(["errors"]), 0).length, 0);
    assert.deepEqual(
      envelopeRows(TX, new Set(["traces", "attachments"]), 0).map((r) => r.type),
      ["transaction", "attachment"],
    );
    assert.deepEqual(envelopeRows(TX, all, 0).map((r) => r.type), [
      "transaction",
      "attachment",
      "session",
    ]);
  });
});

describe("formatRow", () => {
  const [error] = envelopeRows(ERROR, all, 0);
  const [tx] = envelopeRows(TX, all, 0);
  test("every format is one line, even for a message with a newline", () => {
    for (const f of ["human", "json", "logfmt", "md"] as const) {
      assert.doesNotMatch(formatRow(error!, f), /\n/, f);
    }
  });
  test("json round-trips, logfmt quotes what needs it, md is a list item", () => {
    const j = JSON.parse(formatRow(error!, "json"));
    assert.equal(j.message, 'TypeError: bad "thing"\nsecond line');
    assert.equal(j.time, "2026-01-01T12:00:00.000Z");
    assert.equal(j.at, "app.js:11");
    assert.equal(
      formatRow(tx!, "logfmt"),
      'time=2026-01-01T12:00:00.250Z type=transaction level=info msg="GET /users" ' +
        "duration_ms=250 spans=2 op=http.server status=ok trace_id=t1",
    );
    assert.match(formatRow(tx!, "md"), /^- \*\*transaction\*\* `GET \/users` \(info, /);
    assert.match(formatRow(tx!, "human"), / transaction +info +GET \/users {2}duration_ms=250 /);
  });
});

describe("followStream", () => {
  test("prints the buffer, then live items; resumes after a drop without repeats", async () => {
    const app = createStatusApp(fakeDeps());
    const post = (env: unknown[]) => {
      const [h, items] = env as [unknown, [unknown, unknown][]];
      const body = [
        JSON.stringify(h),
        ...items.flatMap(([ih, p]) => [JSON.stringify(ih), JSON.stringify(p)]),
      ]
        .join("\n");
      return app.fetch(
        new Request("http://127.0.0.1:8990/stream", {
          method: "POST",
          headers: { host: "127.0.0.1:8990" },
          body,
        }),
      );
    };
    await post(ERROR);
    const lines: string[] = [];
    const ac = new AbortController();
    let connections = 0;
    const requests: Request[] = [];
    const fetchFn = async (url: string, init?: RequestInit) => {
      connections++;
      const inner = new AbortController();
      init?.signal?.addEventListener("abort", () => inner.abort());
      const r = new Request(url, { ...init, signal: inner.signal });
      r.headers.set("host", "127.0.0.1:8990");
      requests.push(r);
      const res = await app.fetch(r);
      // The first connection drops after its first envelope.
      if (connections === 1) setTimeout(() => inner.abort(), 50);
      return res;
    };
    const done = followStream({
      origin: "http://127.0.0.1:8990",
      kinds: new Set(["errors", "logs"]),
      format: "json",
      fetch: fetchFn,
      write: (l) => lines.push(l),
      warn: () => {},
      signal: ac.signal,
      clock: { ...realClock, now: () => 0 },
      retryMs: 20,
    });
    await new Promise((r) => setTimeout(r, 150));
    await post(LOGS);
    await post(TX);
    for (let i = 0; i < 100 && lines.length < 3; i++) await new Promise((r) => setTimeout(r, 10));
    ac.abort();
    await done;
    assert.equal(connections >= 2, true);
    assert.ok(requests[1]!.headers.get("last-event-id"));
    assert.deepEqual(lines.map((l) => JSON.parse(l).message), [
      'TypeError: bad "thing"\nsecond line',
      "disk low",
      "ok",
    ]);
  });

  test("no server: an error naming where it looked", async () => {
    await assert.rejects(
      followStream({
        origin: "http://127.0.0.1:1",
        kinds: all,
        format: "human",
        fetch: () => Promise.reject(new TypeError("connection refused")),
        write: () => {},
        warn: () => {},
        signal: new AbortController().signal,
        clock: { ...realClock, now: () => 0 },
      }),
      /no status server answers at http:\/\/127\.0\.0\.1:1/,
    );
  });
});
