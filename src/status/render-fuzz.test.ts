// A bounded, seeded fuzz run of the rendering: random JSON (any type where a string is
// expected, deep nesting, control characters, CR, markup) in every field the views read,
// through ingest → lists → item pages → trace pages → live streams → API. Valid envelopes must
// be accepted (200), no route may answer 500, and no value may reach the markup unescaped.

import assert from "node:assert/strict";
import { test } from "node:test";
import { createStatusApp } from "./app.ts";
import { fakeDeps } from "../../tests/helpers/fake-status.ts";
import { prng } from "../../tests/helpers/prng.ts";
import { parseSse, readFor } from "../../tests/helpers/sse-text.ts";

const HOST = "127.0.0.1:8990";
const MARK = "<x-evil";
const TRACE = "0123456789abcdef0123456789abcdef";

function req(path: string, init: RequestInit = {}): Request {
  const headers = new Headers(init.headers);
  headers.set("host", HOST);
  headers.set("authorization", "Bearer t0ken-t0ken-t0ken-t0ken");
  return new Request(`http://${HOST}${path}`, { ...init, headers });
}

function generator(rand: () => number) {
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const str = (): string =>
    pick([
      `${MARK} a="1">`,
      `"'&<>`,
      "\r\revent: services\rdata: x",
      "line\r\nline\nline\rline",
      "\u0000\u0001\u0007\u001b[31mred\u001b[0m\u007f",
      "plain",
      "",
      "\u2028\u2029é✓😀",
      `</script><script>alert(1)</script>`,
      "a".repeat(Math.floor(rand() * 3000)),
    ]) + (rand() < 0.3 ? String(Math.floor(rand() * 1000)) : "");
  const any = (depth: number): unknown => {
    const r = rand();
    if (depth > 0 && r < 0.15) {
      return Array.from({ length: 1 + Math.floor(rand() * 3) }, () => any(depth - 1));
    }
    if (depth > 0 && r < 0.3) {
      const o: Record<string, unknown> = {};
      for (let i = 0; i < 1 + rand() * 3; i++) {
        o[pick([str(), "toString", "valueOf", "__proto__", "constructor", "password", "author"])] =
          any(depth - 1);
      }
      return o;
    }
    if (r < 0.4) return null;
    if (r < 0.5) return rand() < 0.5;
    if (r < 0.6) return pick([0, -1, 1e308, 1.5, 2 ** 53 + 1]);
    if (r < 0.65) return { toString: 1, valueOf: 1 };
    return str();
  };
  const deep = (
    n: number,
  ): unknown => (n === 0 ? str() : rand() < 0.5 ? [deep(n - 1)] : { k: deep(n - 1) });
  // A field that should be a string: usually one, sometimes anything.
  const s = () => (rand() < 0.6 ? str() : any(2));
  const frame = () => ({
    filename: s(),
    function: s(),
    module: s(),
    lineno: rand() < 0.7 ? Math.floor(rand() * 100) : any(1),
    colno: any(0),
    pre_context: rand() < 0.5 ? [s(), s()] : any(1),
    context_line: s(),
    post_context: rand() < 0.5 ? [s()] : any(1),
    vars: rand() < 0.5 ? any(3) : { author: s(), password: s(), [str()]: any(2) },
    in_app: any(0),
  });
  const event = () => ({
    event_id: rand() < 0.8 ? crypto.randomUUID().replaceAll("-", "") : any(0),
    message: rand() < 0.3 ? s() : { formatted: s(), message: any(1) },
    logentry: rand() < 0.3 ? { formatted: s() } : undefined,
    level: pick(["error", "warning", "info", str(), any(1)]),
    release: s(),
    environment: s(),
    platform: s(),
    timestamp: any(0),
    exception: rand() < 0.7
      ? {
        values: [{
          type: s(),
          value: s(),
          mechanism: any(1),
          stacktrace: {
            frames: rand() < 0.8 ? Array.from({ length: Math.floor(rand() * 4) }, frame) : any(2),
            registers: rand() < 0.3
              ? { rip: pick(["0x1f", str(), any(0)]), [str()]: any(1) }
              : undefined,
          },
        }, any(1)],
      }
      : any(2),
    breadcrumbs: rand() < 0.5
      ? [{ message: s(), category: s(), level: s(), timestamp: any(0), data: any(2) }]
      : any(2),
    tags: rand() < 0.5 ? { [str()]: s() } : [[s(), s()], any(1)],
    contexts: { trace: { trace_id: TRACE, span_id: s() }, [str()]: any(3), device: { arch: s() } },
    request: rand() < 0.5 ? { url: s(), method: s(), headers: any(2), data: any(2) } : any(1),
    user: any(2),
    extra: deep(Math.floor(rand() * 150)),
  });
  const transaction = () => ({
    type: "transaction",
    transaction: s(),
    start_timestamp: 1000,
    timestamp: 1001,
    contexts: { trace: { trace_id: TRACE, span_id: "a".repeat(16), op: s(), status: s() } },
    spans: rand() < 0.8
      ? Array.from({ length: 1 + Math.floor(rand() * 12) }, (_, i) => ({
        span_id: `${i}`.padStart(16, "b"),
        parent_span_id: rand() < 0.8 ? "a".repeat(16) : s(),
        op: pick(["db.query", s()]),
        description: pick(["SELECT 1", s()]),
        start_timestamp: rand() < 0.9 ? 1000 + i / 100 : any(0),
        timestamp: 1000.5,
        status: s(),
        data: any(2),
      }))
      : any(2),
  });
  const logs = () => ({
    items: Array.from({ length: 1 + Math.floor(rand() * 4) }, () => (rand() < 0.9
      ? {
        body: s(),
        level: s(),
        trace_id: TRACE,
        timestamp: any(0),
        attributes: rand() < 0.5 ? { [str()]: { value: any(1), type: "string" } } : any(2),
      }
      : any(1))),
  });
  const spans = () => ({
    version: 2,
    items: Array.from(
      { length: 1 + Math.floor(rand() * 4) },
      (_, i) => ({
        name: s(),
        span_id: `${i}`.padStart(16, "c"),
        parent_span_id: rand() < 0.5 ? "a".repeat(16) : any(0),
        trace_id: TRACE,
        start_timestamp: 1000 + rand(),
        end_timestamp: 1001,
        status: s(),
        attributes: any(2),
      }),
    ),
  });
  return { pick, str, any, s, event, transaction, logs, spans };
}

function checkHtml(html: string, where: string): void {
  assert.ok(!html.includes(MARK), `${where}: unescaped markup`);
  assert.ok(!html.toLowerCase().includes("<script>alert"), `${where}: unescaped script`);
  assert.ok(
    // deno-lint-ignore no-control-regex
    !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(html),
    `${where}: raw control character`,
  );
}

test("render fuzz: random JSON in every field, no 500, nothing unescaped", async () => {
  const rand = prng(0x0f2e5e7);
  const g = generator(rand);
  const { fetch } = createStatusApp(fakeDeps({ buffer: { maxEvents: 60 } }));
  const live = await fetch(req("/api/0/live/"));
  const liveRows = await fetch(req("/api/0/live/?view=all"));
  const liveLogs = await fetch(req("/api/0/live/?view=logs"));
  const liveTraces = await fetch(req("/api/0/live/?view=traces"));
  const streams = [live, liveRows, liveLogs, liveTraces].map((r) => readFor(r, 4000));
  const enc = new TextEncoder();
  const deadline = Date.now() + 12_000;
  let n = 0;
  for (; n < 150 && Date.now() < deadline; n++) {
    const parts: [object, Uint8Array][] = [];
    const add = (header: object, body: unknown) =>
      parts.push([header, enc.encode(JSON.stringify(body))]);
    add({ type: "event" }, g.event());
    if (rand() < 0.5) add({ type: "transaction" }, g.transaction());
    if (rand() < 0.5) add({ type: "log" }, g.logs());
    if (rand() < 0.5) add({ type: "span" }, g.spans());
    if (rand() < 0.3) add({ type: "session" }, { status: g.s(), attrs: g.any(2) });
    if (rand() < 0.3) {
      add({ type: g.pick(["client_report", "profile", "feedback", "check_in", "x"]) }, g.any(3));
    }
    if (rand() < 0.4) {
      parts.push([{
        type: "attachment",
        filename: g.s(),
        content_type: g.pick(["text/plain", "image/png", "image/svg+xml", "text/html", g.str()]),
      }, enc.encode(g.str())]);
    }
    const chunks: Uint8Array[] = [enc.encode(`${JSON.stringify({ sent_at: g.any(0) })}\n`)];
    parts.forEach(([h, body], i) => {
      const withLength = rand() < 0.7 || (h as { type: string }).type === "attachment";
      chunks.push(
        enc.encode(`${JSON.stringify(withLength ? { ...h, length: body.length } : h)}\n`),
        body,
      );
      if (!withLength || i < parts.length - 1 || rand() < 0.5) chunks.push(enc.encode("\n"));
    });
    const res = await fetch(
      req("/api/1/envelope/", { method: "POST", body: new Blob(chunks as BlobPart[]) }),
    );
    assert.equal(res.status, 200, `envelope ${n}: ${await res.clone().text()}`);
    const { id } = (await res.json()) as { id: string };
    if (n % 10 !== 0) continue;
    // Every view and the API over what the buffer holds now.
    for (
      const path of [
        "/",
        "/errors/",
        "/logs/",
        "/traces/",
        "/attachments/",
        "/events/",
        `/traces/${TRACE}/`,
        `/events/${id}/`,
      ]
    ) {
      const page = await fetch(req(path));
      assert.equal(page.status, 200, path);
      checkHtml(await page.text(), path);
    }
    const listRes = await fetch(req("/api/0/events/"));
    assert.equal(listRes.status, 200, await listRes.clone().text());
    const list = (await listRes.json()) as {
      id: string;
      title: unknown;
      kind: string;
    }[];
    for (const it of list) {
      assert.equal(typeof it.title, "string");
      const page = await fetch(req(`/events/${it.id}/`));
      assert.equal(page.status, 200, `${it.kind} ${it.id}`);
      checkHtml(await page.text(), `${it.kind} page`);
      const one = await fetch(req(`/api/0/events/${it.id}/`));
      assert.equal(one.status, 200);
      await one.json();
      if (it.kind === "attachment") {
        const file = await fetch(req(`/api/0/events/${it.id}/attachment/`));
        assert.equal(file.status, 200);
        assert.ok(
          ["image/png", "application/octet-stream"].includes(file.headers.get("content-type")!),
        );
      }
    }
  }
  assert.ok(n >= 30, `only ${n} envelopes in the time bound`);
  for (const text of await Promise.all(streams)) {
    const events = parseSse(text);
    assert.ok(events.length > 0);
    for (const e of events) {
      assert.ok(
        ["services", "events", "rate", "rows"].includes(e.event),
        `injected event ${e.event}`,
      );
      // Each fragment is whole: an event injected under a real name would start elsewhere.
      assert.match(
        e.data,
        e.event === "rate" ? /^<svg / : /^<tr[ >]/,
        `${e.event}: ${e.data.slice(0, 80)}`,
      );
      checkHtml(e.data, `live ${e.event}`);
    }
  }
  console.log(`render fuzz: ${n} envelopes`);
});
