// Every kind is shown by what it is on its page (SPEC §7a), through the app in-process: a
// session's state and counts, a client report's discarded items, a profile's summary and
// busiest function, feedback (new and legacy) with its message, contact and linked event, and an
// error's request and user panels. Hostile values (any JSON type) render without a crash.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { fakeDeps } from "../../../tests/helpers/fake-status.ts";
import { createStatusApp } from "../app.ts";

const HOST = "127.0.0.1:8990";
const TOKEN = "t0ken-t0ken-t0ken-t0ken";
const ERROR_ID = "e".repeat(32);

function req(path: string, init: RequestInit = {}) {
  const headers = new Headers(init.headers);
  headers.set("host", HOST);
  headers.set("authorization", `Bearer ${TOKEN}`);
  return new Request(`http://${HOST}${path}`, { ...init, headers });
}

const lines = (...parts: unknown[]) => parts.map((p) => JSON.stringify(p)).join("\n") + "\n";

const PROFILE = {
  platform: "node",
  transactions: [{ name: "GET /slow", trace_id: "ab".repeat(16) }],
  profile: {
    frames: [
      { function: "hash", filename: "/app/crypto.js", lineno: 3 },
      { function: "handler", filename: "/app/server.js", lineno: 9 },
    ],
    stacks: [[0, 1], [1]],
    samples: [
      { stack_id: 0, thread_id: "0", elapsed_since_start_ns: "0" },
      { stack_id: 0, thread_id: "0", elapsed_since_start_ns: "10000000" },
      { stack_id: 1, thread_id: "0", elapsed_since_start_ns: 25000000 },
    ],
    thread_metadata: { "0": { name: "main" } },
  },
};

async function pages() {
  const app = createStatusApp(fakeDeps());
  const post = async (body: string) => {
    const res = await app.fetch(req("/api/1/envelope/", { method: "POST", body }));
    assert.equal(res.status, 200, await res.text());
  };
  await post(lines(
    { event_id: ERROR_ID },
    { type: "event" },
    {
      event_id: ERROR_ID,
      exception: { values: [{ type: "Error", value: "boom" }] },
      request: {
        method: "POST",
        url: "http://localhost/pay",
        query_string: "a=1",
        headers: { "User-Agent": "curl/8" },
      },
      user: { id: "42", email: "ada@example.com" },
    },
  ));
  await post(lines(
    {},
    { type: "session" },
    {
      sid: "s1",
      did: "user-9",
      status: "crashed",
      errors: 2,
      started: "2026-01-01T00:00:00Z",
      timestamp: "2026-01-01T00:00:05Z",
      duration: 5,
      attrs: { release: "r1", environment: "dev" },
    },
    { type: "sessions" },
    { aggregates: [{ started: "2026-01-01T00:00:00Z", exited: 3, errored: 1 }], attrs: {} },
    { type: "client_report" },
    {
      timestamp: 1_767_225_600,
      discarded_events: [
        { reason: "sample_rate", category: "transaction", quantity: 4 },
        { reason: "queue_overflow", category: "error", quantity: 1 },
      ],
    },
    { type: "profile" },
    PROFILE,
  ));
  await post(lines(
    { event_id: "f".repeat(32) },
    { type: "feedback" },
    {
      event_id: "f".repeat(32),
      type: "feedback",
      contexts: {
        feedback: {
          message: "The pay button does nothing",
          contact_email: "bob@example.com",
          name: "Bob",
          url: "http://localhost/pay",
          associated_event_id: ERROR_ID,
        },
      },
    },
    { type: "user_report" },
    { event_id: ERROR_ID, name: "Eve", email: "eve@example.com", comments: "It broke" },
  ));
  const list = (await (await app.fetch(req("/api/0/events/"))).json()) as {
    id: string;
    kind: string;
    type: string;
  }[];
  const page = async (type: string) => {
    const it = list.find((i) => i.type === type);
    assert.ok(it, type);
    const res = await app.fetch(req(`/events/${it.id}/`));
    assert.equal(res.status, 200);
    return await res.text();
  };
  return { page, app };
}

describe("item pages by kind", () => {
  test("an error's request and user panels", async () => {
    const html = await (await pages()).page("event");
    assert.match(html, /<section class="panel" id="request"><h3>Request<\/h3>/);
    assert.match(html, /<code>POST http:\/\/localhost\/pay<\/code>/);
    assert.match(html, /<th>query<\/th><td><code>a=1<\/code>/);
    assert.match(html, /<th>header User-Agent<\/th><td><code>curl\/8<\/code>/);
    assert.match(html, /<section class="panel" id="user"><h3>User<\/h3>/);
    assert.match(html, /<th>email<\/th><td><code>ada@example\.com<\/code>/);
  });

  test("a session, and session aggregates", async () => {
    const { page } = await pages();
    const one = await page("session");
    assert.match(one, /<section class="panel" id="session"><h3>Session<\/h3>/);
    assert.match(one, /<th>status<\/th><td><code>crashed<\/code>/);
    assert.match(one, /<th>errors<\/th><td><code>2<\/code>/);
    assert.match(one, /<th>started<\/th><td><time class="ago" datetime="2026-01-01T00:00:00/);
    assert.match(one, /<th>duration<\/th><td>5\.00 s/);
    assert.match(one, /<th>release<\/th><td><code>r1<\/code>/);
    const agg = await page("sessions");
    assert.match(agg, /<table class="items session-aggregates">/);
    assert.match(agg, /<td>3<\/td><td>1<\/td><td>0<\/td><td>0<\/td>/);
  });

  test("a client report lists what was discarded, by reason and category", async () => {
    const html = await (await pages()).page("client_report");
    assert.match(
      html,
      /<tr><td>sample_rate<\/td><td>transaction<\/td><td class="quantity">4<\/td><\/tr>/,
    );
    assert.match(html, /<td>queue_overflow<\/td><td>error<\/td><td class="quantity">1<\/td>/);
  });

  test("a profile: summary and the busiest functions by self samples", async () => {
    const html = await (await pages()).page("profile");
    assert.match(html, /<th>transaction<\/th><td><code>GET \/slow<\/code>/);
    assert.match(html, /<th>samples<\/th><td><code>3<\/code>/);
    assert.match(html, /<th>sampled for<\/th><td>25\.0 ms/);
    assert.match(html, /<th>threads<\/th><td><code>1<\/code>/);
    const hash = html.indexOf(
      '<tr><td><code>hash (/app/crypto.js)</code></td><td class="quantity">2</td></tr>',
    );
    const handler = html.indexOf(
      '<tr><td><code>handler (/app/server.js)</code></td><td class="quantity">1</td></tr>',
    );
    assert.ok(hash > 0 && handler > hash, "busiest first");
  });

  test("feedback, new and legacy: message, contact and the event it is about", async () => {
    const { page } = await pages();
    const fb = await page("feedback");
    assert.match(fb, /<blockquote class="feedback-message">The pay button does nothing/);
    assert.match(fb, /<th>email<\/th><td><code>bob@example\.com<\/code>/);
    assert.match(fb, new RegExp(`<a href="/events/${ERROR_ID}/">${ERROR_ID}</a>`));
    const legacy = await page("user_report");
    assert.match(legacy, /<blockquote class="feedback-message">It broke<\/blockquote>/);
    assert.match(legacy, /<th>name<\/th><td><code>Eve<\/code>/);
    assert.match(legacy, new RegExp(`<a href="/events/${ERROR_ID}/">`));
  });

  test("hostile shapes render: any JSON type where an object or a number is expected", async () => {
    const app = createStatusApp(fakeDeps());
    const body = lines(
      {},
      { type: "session" },
      { started: { x: 1 }, duration: "long", attrs: 7, aggregates: "no" },
      { type: "client_report" },
      { discarded_events: [null, 3, { quantity: "many", reason: ["<b>"] }] },
      { type: "profile" },
      { profile: { samples: [{ stack_id: 99 }, 5], stacks: "x", frames: null } },
      { type: "feedback" },
      { contexts: { feedback: { message: { toString: 1 }, associated_event_id: "<x>" } } },
    );
    const res = await app.fetch(req("/api/1/envelope/", { method: "POST", body }));
    assert.equal(res.status, 200);
    const list = (await (await app.fetch(req("/api/0/events/"))).json()) as { id: string }[];
    assert.equal(list.length, 4);
    for (const it of list) {
      const page = await app.fetch(req(`/events/${it.id}/`));
      assert.equal(page.status, 200);
      const html = await page.text();
      assert.ok(!html.includes("<b>") && !html.includes('href="/events/<x>'), it.id);
    }
  });
});
