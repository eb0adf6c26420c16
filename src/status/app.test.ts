// In-process tests of every status route and every security rule (SPEC §7): requests go
// straight to the Hono app's fetch, with a fake services source and a fixed clock.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import zlib from "node:zlib";
import { SentryctlError } from "../errors.ts";
import { createStatusApp } from "./app.ts";
import { fakeDeps, service } from "../../tests/helpers/fake-status.ts";

const HOST = "127.0.0.1:8990";
const TOKEN = "t0ken-t0ken-t0ken-t0ken";
const EVENT_ID = "9ec79c33ec9942ab8353589fcb2e04dc";

function req(path: string, init: RequestInit & { host?: string | null; auth?: boolean } = {}) {
  const headers = new Headers(init.headers);
  if (init.host !== null) headers.set("host", init.host ?? HOST);
  if (init.auth !== false && !headers.has("authorization")) {
    headers.set("authorization", `Bearer ${TOKEN}`);
  }
  return new Request(`http://${init.host ?? HOST}${path}`, { ...init, headers });
}

function envelope(eventId = EVENT_ID, extra: Record<string, unknown> = {}): string {
  const event = {
    event_id: eventId,
    platform: "node",
    exception: {
      values: [{
        type: "TypeError",
        value: "boom",
        stacktrace: {
          frames: [{
            filename: "app.js",
            function: "handler",
            lineno: 11,
            pre_context: ["function handler(req) {"],
            context_line: "  throw new TypeError('boom');",
            post_context: ["}"],
            vars: { req: "GET /", password: "hunter2" },
            in_app: true,
          }],
        },
      }],
    },
    ...extra,
  };
  return `{"event_id":"${eventId}","sent_at":"2026-01-01T00:00:00Z"}\n` +
    `{"type":"event"}\n${JSON.stringify(event)}\n`;
}

describe("security", () => {
  test("a Host that is not allowed is refused on every route, open ones included", async () => {
    const { fetch } = createStatusApp(fakeDeps());
    for (const path of ["/health", "/metrics", "/api/0/status/", "/"]) {
      const res = await fetch(req(path, { host: "evil.example:8990" }));
      assert.equal(res.status, 403, path);
      assert.deepEqual(await res.json(), { detail: "Host 'evil.example:8990' is not allowed" });
    }
    const ingest = await fetch(
      req("/api/1/envelope/", { method: "POST", body: envelope(), host: "rebind.attacker.test" }),
    );
    assert.equal(ingest.status, 403);
    assert.equal((await fetch(req("/health", { host: null }))).status, 403);
  });

  test("localhost, 127.0.0.1 and [::1] with any port are allowed", async () => {
    const { fetch } = createStatusApp(fakeDeps());
    for (const host of ["localhost:8990", "127.0.0.1", "[::1]:8990", "LOCALHOST:1"]) {
      assert.equal((await fetch(req("/health", { host }))).status, 200, host);
    }
  });

  test("/health and /metrics need no token", async () => {
    const { fetch } = createStatusApp(fakeDeps());
    const health = await fetch(req("/health", { auth: false }));
    assert.equal(health.status, 200);
    assert.equal(await health.text(), "ok");
    const metrics = await fetch(req("/metrics", { auth: false }));
    assert.equal(metrics.status, 200);
    assert.match(metrics.headers.get("content-type")!, /^text\/plain; version=0\.0\.4/);
    assert.equal(await metrics.text(), "# TYPE sentryctl_up gauge\nsentryctl_up 1\n");
  });

  test("no token → 401 with a detail; wrong token → 401; bearer token → 200", async () => {
    const { fetch } = createStatusApp(fakeDeps());
    const none = await fetch(req("/api/0/status/", { auth: false }));
    assert.equal(none.status, 401);
    assert.deepEqual(await none.json(), {
      detail: "Authentication credentials were not provided.",
    });
    assert.equal(none.headers.get("www-authenticate"), 'Bearer realm="sentryctl"');
    const wrong = await fetch(
      req("/api/0/status/", { headers: { authorization: "Bearer t0ken-t0ken-t0ken-t0kem" } }),
    );
    assert.equal(wrong.status, 401);
    assert.equal((await fetch(req("/api/0/status/"))).status, 200);
    for (
      const path of ["/", "/api/0/events/", "/api/0/devservices/", "/events/" + EVENT_ID + "/"]
    ) {
      assert.equal((await fetch(req(path, { auth: false }))).status, 401, path);
    }
  });

  test("the one-time link sets a session cookie once; a reused link is refused", async () => {
    const { fetch } = createStatusApp(fakeDeps());
    const first = await fetch(req("/?token=one-time-code-123456", { auth: false }));
    assert.equal(first.status, 303);
    assert.equal(first.headers.get("location"), "/");
    const cookie = first.headers.get("set-cookie")!;
    assert.match(cookie, /^sentryctl_session=[0-9a-f]{64}; Path=\/; HttpOnly; SameSite=Strict$/);
    assert.ok(!cookie.includes("one-time-code") && !cookie.includes(TOKEN));
    const session = cookie.split(";")[0]!;
    const page = await fetch(req("/", { auth: false, headers: { cookie: session } }));
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<table class="services">/);
    const api = await fetch(req("/api/0/status/", { auth: false, headers: { cookie: session } }));
    assert.equal(api.status, 200);
    const again = await fetch(
      req("/?token=one-time-code-123456", { auth: false, headers: { accept: "text/html" } }),
    );
    assert.equal(again.status, 401);
    assert.match(await again.text(), /already been used or is not valid/);
    const forged = await fetch(
      req("/", { auth: false, headers: { cookie: "sentryctl_session=" + "a".repeat(64) } }),
    );
    assert.equal(forged.status, 401);
  });

  test("the token file's token also works in the link", async () => {
    const { fetch } = createStatusApp(fakeDeps());
    const res = await fetch(req(`/?token=${TOKEN}`, { auth: false }));
    assert.equal(res.status, 303);
    assert.match(res.headers.get("set-cookie")!, /^sentryctl_session=/);
  });

  test("a cross-origin PUT → 403; same origin and non-browser clients pass", async () => {
    const deps = fakeDeps();
    const { fetch } = createStatusApp(deps);
    const put = (headers: Record<string, string>) =>
      fetch(req("/api/0/devservices/redis/", {
        method: "PUT",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify({ state: "stopped" }),
      }));
    const evil = await put({ origin: "http://evil.example" });
    assert.equal(evil.status, 403);
    assert.deepEqual(await evil.json(), { detail: "Cross-origin request refused" });
    assert.equal((await put({ origin: "http://127.0.0.1:9999" })).status, 403);
    assert.equal((await put({ origin: "null" })).status, 403);
    assert.equal((await put({ "sec-fetch-site": "cross-site" })).status, 403);
    assert.deepEqual(deps.services.calls, []);
    assert.equal((await put({ origin: "http://127.0.0.1:8990" })).status, 200);
    assert.equal((await put({})).status, 200);
    assert.deepEqual(deps.services.calls, ["redis:stopped", "redis:stopped"]);
    const del = await fetch(
      req("/api/0/events/", { method: "DELETE", headers: { origin: "http://evil.example" } }),
    );
    assert.equal(del.status, 403);
  });

  test("HTML pages carry a strict Content-Security-Policy", async () => {
    const { fetch } = createStatusApp(fakeDeps());
    const res = await fetch(req("/"));
    assert.match(res.headers.get("content-security-policy")!, /script-src 'self'/);
    assert.equal(res.headers.get("x-content-type-options"), "nosniff");
  });

  test("oversized bodies → 413: declared, streamed, decompressed, single event", async () => {
    const { fetch, events } = createStatusApp(
      fakeDeps({ limits: { eventBytes: 1000, envelopeBytes: 5000 } }),
    );
    const big = "x".repeat(6000);
    const declared = await fetch(
      req("/api/1/envelope/", {
        method: "POST",
        body: big,
        headers: { "content-length": String(big.length) },
      }),
    );
    assert.equal(declared.status, 413);
    assert.deepEqual(await declared.json(), {
      detail: "body of 6000 bytes is larger than the limit of 5000 bytes",
    });
    const streamed = await fetch(req("/api/1/envelope/", {
      method: "POST",
      body: new ReadableStream({
        start(c) {
          for (let i = 0; i < 10; i++) c.enqueue(new TextEncoder().encode("y".repeat(1000)));
          c.close();
        },
      }),
      // @ts-ignore: needed for a streamed request body
      duplex: "half",
    }));
    assert.equal(streamed.status, 413);
    const bomb = zlib.gzipSync(Buffer.alloc(100_000, 0x20));
    const gz = await fetch(req("/api/1/envelope/", {
      method: "POST",
      body: new Uint8Array(bomb),
      headers: { "content-encoding": "gzip" },
    }));
    assert.equal(gz.status, 413);
    assert.deepEqual(await gz.json(), {
      detail: "decompressed body is larger than the limit of 5000 bytes",
    });
    const event = `{}\n{"type":"event"}\n{"message":"${"z".repeat(1200)}"}\n`;
    const item = await fetch(req("/api/1/envelope/", { method: "POST", body: event }));
    assert.equal(item.status, 413);
    assert.deepEqual(await item.json(), { detail: "item 1 (event) is larger than 1000 bytes" });
    const store = await fetch(
      req("/api/1/store/", { method: "POST", body: `{"message":"${"z".repeat(1200)}"}` }),
    );
    assert.equal(store.status, 413);
    assert.equal(events.size, 0);
  });

  test("garbage → 400 with a reason, and the server keeps serving", async () => {
    const { fetch, events } = createStatusApp(fakeDeps());
    const cases: [string, string | Uint8Array, Record<string, string>, string][] = [
      ["/api/1/envelope/", "not json at all", {}, "envelope header is not valid JSON"],
      ["/api/1/envelope/", "", {}, "empty envelope"],
      ["/api/1/envelope/", "{}\n[]\n", {}, "item 1 header is not a JSON object"],
      ["/api/1/envelope/", '{}\n{"length":2}\nab\n', {}, "item 1 header has no type"],
      [
        "/api/1/envelope/",
        '{}\n{"type":"event","length":99}\n{}\n',
        {},
        "item 1 length 99 exceeds the 3 bytes left",
      ],
      [
        "/api/1/envelope/",
        '{}\n{"type":"event"}\n{oops\n',
        {},
        "item 1 (event) payload is not valid JSON",
      ],
      [
        "/api/1/envelope/",
        new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]),
        {},
        "envelope header is not valid UTF-8",
      ],
      [
        "/api/1/envelope/",
        "abc",
        { "content-encoding": "gzip" },
        "body could not be decompressed: ",
      ],
      [
        "/api/1/envelope/",
        "abc",
        { "content-encoding": "zstd" },
        "unsupported Content-Encoding 'zstd'",
      ],
      ["/api/1/store/", "[1,2]", {}, "event is not a JSON object"],
      ["/api/1/store/", "{nope", {}, "event is not valid JSON"],
      ["/api/abc/envelope/", "{}", {}, "project id must be a number"],
      ["/stream", "\u0000\u0001", {}, "envelope header is not valid JSON"],
    ];
    for (const [path, body, headers, reason] of cases) {
      const res = await fetch(
        req(path, { method: "POST", body: body as BodyInit, headers, auth: false }),
      );
      assert.equal(res.status, 400, `${path} ${String(body)}`);
      const got = (await res.json()) as { detail: string };
      assert.ok(got.detail.startsWith(reason), `${got.detail} vs ${reason}`);
    }
    assert.equal(events.size, 0);
    assert.equal((await fetch(req("/health"))).status, 200);
    const ok = await fetch(req("/api/1/envelope/", { method: "POST", body: envelope() }));
    assert.equal(ok.status, 200);
    assert.equal(events.size, 1);
  });

  test("CORS: localhost origins get it on ingest, others do not", async () => {
    const { fetch } = createStatusApp(fakeDeps());
    const pre = await fetch(req("/api/1/envelope/", {
      method: "OPTIONS",
      auth: false,
      headers: { origin: "http://localhost:3000", "access-control-request-method": "POST" },
    }));
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get("access-control-allow-origin"), "http://localhost:3000");
    assert.match(pre.headers.get("access-control-allow-headers")!, /x-sentry-auth/);
    const post = await fetch(req("/api/1/envelope/", {
      method: "POST",
      auth: false,
      body: envelope(),
      headers: { origin: "http://127.0.0.1:5173", "content-type": "text/plain;charset=UTF-8" },
    }));
    assert.equal(post.status, 200);
    assert.equal(post.headers.get("access-control-allow-origin"), "http://127.0.0.1:5173");
    const evil = await fetch(req("/api/1/envelope/", {
      method: "OPTIONS",
      auth: false,
      headers: { origin: "http://evil.example" },
    }));
    assert.equal(evil.headers.get("access-control-allow-origin"), null);
    const remote = await fetch(req("/api/1/envelope/", {
      method: "POST",
      auth: false,
      body: envelope("1".repeat(32)),
      headers: { origin: "https://localhost.evil.example" },
    }));
    assert.equal(remote.headers.get("access-control-allow-origin"), null);
  });
});

describe("ingest", () => {
  test("an envelope lands in /api/0/events/ with its DSN key, newest first", async () => {
    const deps = fakeDeps();
    const counted: string[] = [];
    deps.onIngest = (kind, project) => counted.push(`${project}/${kind}`);
    const { fetch } = createStatusApp(deps);
    const res = await fetch(req("/api/42/envelope/", {
      method: "POST",
      auth: false,
      body: envelope(),
      headers: { "x-sentry-auth": "Sentry sentry_version=7, sentry_key=abc123, sentry_client=x/1" },
    }));
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { id: EVENT_ID });
    const second = "a".repeat(32);
    await fetch(req("/api/42/envelope/?sentry_key=k2", {
      method: "POST",
      auth: false,
      body: envelope(second),
    }));
    const list = await fetch(req("/api/0/events/"));
    const body = (await list.json()) as { id: string; title: string; projectID: string }[];
    assert.deepEqual(body.map((e) => e.id), [second, EVENT_ID]);
    assert.equal(body[1]!.title, "TypeError: boom");
    assert.equal(body[1]!.projectID, "42");
    const one = await fetch(req(`/api/0/events/${EVENT_ID}/`));
    const detail = (await one.json()) as { sentryKey: string; event: { platform: string } };
    assert.equal(detail.sentryKey, "abc123");
    assert.equal(detail.event.platform, "node");
    const two = (await (await fetch(req(`/api/0/events/${second}/`))).json()) as {
      sentryKey: string;
    };
    assert.equal(two.sentryKey, "k2");
    assert.deepEqual(counted, ["42/event", "42/event"]);
    assert.equal((await fetch(req("/api/0/events/ffffffffffffffffffffffffffffffff/"))).status, 404);
  });

  test("gzip, deflate (zlib and raw) and br bodies are decoded", async () => {
    const { fetch, events } = createStatusApp(fakeDeps());
    const encodings: [string, (b: Buffer) => Buffer][] = [
      ["gzip", zlib.gzipSync],
      ["deflate", zlib.deflateSync],
      ["deflate", zlib.deflateRawSync],
      ["br", zlib.brotliCompressSync],
    ];
    let n = 0;
    for (const [name, fn] of encodings) {
      const id = String(++n).repeat(32);
      const res = await fetch(req("/api/1/envelope/", {
        method: "POST",
        auth: false,
        body: new Uint8Array(fn(Buffer.from(envelope(id)))),
        headers: { "content-encoding": name },
      }));
      assert.equal(res.status, 200, name);
      assert.ok(events.get(id), name);
    }
  });

  test("/store/ takes a JSON event (and the legacy base64+zlib form)", async () => {
    const { fetch, events } = createStatusApp(fakeDeps());
    const ev = { event_id: "b".repeat(32), message: "hello", level: "info" };
    const res = await fetch(req("/api/3/store/", {
      method: "POST",
      auth: false,
      body: JSON.stringify(ev),
    }));
    assert.equal(res.status, 200);
    assert.equal(events.get("b".repeat(32))!.kind, "message");
    assert.equal(events.get("b".repeat(32))!.title, "hello");
    const legacy = zlib.deflateSync(
      Buffer.from(JSON.stringify({ ...ev, event_id: "c".repeat(32) })),
    )
      .toString("base64");
    assert.equal(
      (await fetch(req("/api/3/store/", { method: "POST", auth: false, body: legacy }))).status,
      200,
    );
    assert.equal((events.get("c".repeat(32))!.payload as { message: string }).message, "hello");
  });

  test("/store/ with bytes that are not UTF-8: kept as the text it was read as, classified", async () => {
    const { fetch, events } = createStatusApp(fakeDeps());
    const body = new Uint8Array([
      ...Buffer.from(`{"event_id":"${"d".repeat(32)}","message":"bad `),
      0xff,
      0xfe,
      ...Buffer.from(` bytes","level":"warning"}`),
    ]);
    const res = await fetch(req("/api/3/store/", { method: "POST", auth: false, body }));
    assert.equal(res.status, 200);
    const item = events.get("d".repeat(32))!;
    assert.equal(item.kind, "message");
    assert.equal(item.title, "bad \ufffd\ufffd bytes");
    assert.equal(item.level, "warning");
  });

  test("Spotlight's /stream answers 200 with an empty body, every item type is accepted", async () => {
    const { fetch, events } = createStatusApp(fakeDeps());
    const attachment = "binary\u0000data";
    const body = `{"sdk":{"name":"sentry.javascript.node"}}\n` +
      `{"type":"session"}\n{"sid":"s1","status":"ok"}\n` +
      `{"type":"attachment","length":${
        Buffer.byteLength(attachment)
      },"filename":"a.bin"}\n${attachment}\n` +
      `{"type":"statsd","length":11}\nfoo:1|c|#a\n\n` +
      `{"type":"client_report"}\n{"discarded_events":[]}\n` +
      `{"type":"log"}\n{"items":[{"body":"hi"}]}\n` +
      `{"type":"some_future_type"}\n{"x":1}`;
    const res = await fetch(req("/stream", {
      method: "POST",
      auth: false,
      body,
      headers: { "content-type": "application/x-sentry-envelope" },
    }));
    assert.equal(res.status, 200);
    assert.equal(await res.text(), "");
    // Every item is kept and classified, in envelope order (newest first in the list).
    const items = events.page(0, 10).reverse();
    assert.deepEqual(items.map((i) => [i.type, i.kind]), [
      ["session", "session"],
      ["attachment", "attachment"],
      ["statsd", "metric"],
      ["client_report", "client_report"],
      ["log", "log"],
      ["some_future_type", "other"],
    ]);
    assert.ok(items.every((i) => i.project_id === "0" && /^[0-9a-f]{32}$/.test(i.id)));
    assert.equal(new Set(items.map((i) => i.id)).size, items.length);
    const file = items[1]!;
    assert.equal(file.filename, "a.bin");
    assert.equal(file.size, 11);
    assert.equal(new TextDecoder().decode(file.bytes), attachment);
    assert.equal(items[4]!.title, "hi");
    assert.equal(events.size, 1, "one envelope");
  });

  test("the ring buffer keeps the newest N and stays within its byte budget", async () => {
    const { fetch, events } = createStatusApp(
      fakeDeps({ buffer: { maxEvents: 3, maxBytes: 10_000 } }),
    );
    for (let i = 0; i < 5; i++) {
      await fetch(
        req("/api/1/envelope/", { method: "POST", body: envelope(String(i).repeat(32)) }),
      );
    }
    assert.equal(events.size, 3);
    assert.deepEqual(events.page(0, 10).map((r) => r.id[0]), ["4", "3", "2"]);
    const small = createStatusApp(fakeDeps({ buffer: { maxEvents: 100, maxBytes: 1500 } }));
    for (let i = 0; i < 5; i++) {
      await small.fetch(
        req("/api/1/envelope/", { method: "POST", body: envelope(String(i).repeat(32)) }),
      );
    }
    assert.ok(small.events.bytes <= 1500, String(small.events.bytes));
    assert.equal(small.events.page(0, 1)[0]!.id, "4".repeat(32));
  });

  test("Link pagination follows Sentry's cursor convention", async () => {
    const { fetch } = createStatusApp(fakeDeps());
    for (let i = 1; i <= 3; i++) {
      await fetch(
        req("/api/1/envelope/", { method: "POST", body: envelope(String(i).repeat(32)) }),
      );
    }
    const p1 = await fetch(req("/api/0/events/?per_page=2"));
    assert.deepEqual(((await p1.json()) as { id: string }[]).map((e) => e.id[0]), ["3", "2"]);
    assert.equal(
      p1.headers.get("link"),
      '</api/0/events/?cursor=0:0:1>; rel="previous"; results="false"; cursor="0:0:1", ' +
        '</api/0/events/?cursor=0:2:0>; rel="next"; results="true"; cursor="0:2:0"',
    );
    const p2 = await fetch(req("/api/0/events/?per_page=2&cursor=0:2:0"));
    assert.deepEqual(((await p2.json()) as { id: string }[]).map((e) => e.id[0]), ["1"]);
    assert.match(p2.headers.get("link")!, /rel="next"; results="false"/);
    assert.equal((await fetch(req("/api/0/events/?cursor=x:y:z"))).status, 400);
    assert.equal((await fetch(req("/api/0/events/?per_page=1000"))).status, 400);
  });

  test("the event page renders frames with numbered context lines and filtered secrets", async () => {
    const { fetch } = createStatusApp(fakeDeps());
    await fetch(req("/api/1/envelope/", { method: "POST", body: envelope() }));
    const page = await fetch(req(`/events/${EVENT_ID}/`));
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /<h2>TypeError: boom<\/h2>/);
    assert.match(html, /<ol start="10" class="source">/);
    assert.match(
      html,
      /<li class="expandable active" value="11"><span class="lineno">11<\/span><span class="ws"> {2}<\/span><span class="contextline">throw new TypeError\(&#39;boom&#39;\);<\/span><\/li>/,
    );
    assert.ok(!html.includes("hunter2"), "secret rendered");
    assert.match(html, /<th>password<\/th><td><code>\[Filtered\]<\/code>/);
    assert.equal((await fetch(req("/events/" + "0".repeat(32) + "/"))).status, 404);
  });
});

describe("services", () => {
  test("status, list, one and 404 share the service shape", async () => {
    const { fetch } = createStatusApp(fakeDeps());
    const status = (await (await fetch(req("/api/0/status/"))).json()) as Record<string, unknown>;
    assert.deepEqual(status, {
      version: "0.1.0",
      project: "test",
      docker: { endpoint: "unix:///var/run/docker.sock", version: "27.0.0" },
      services: [service("redis"), service("kafka", "exited")],
    });
    const list = await (await fetch(req("/api/0/devservices/"))).json();
    assert.deepEqual(list, [service("redis"), service("kafka", "exited")]);
    assert.deepEqual(
      await (await fetch(req("/api/0/devservices/kafka/"))).json(),
      service("kafka", "exited"),
    );
    const missing = await fetch(req("/api/0/devservices/nope/"));
    assert.equal(missing.status, 404);
    assert.deepEqual(await missing.json(), { detail: "Service `nope` is not known" });
  });

  test("PUT validates its body and changes the state", async () => {
    const deps = fakeDeps();
    const { fetch } = createStatusApp(deps);
    const put = (name: string, body: string) =>
      fetch(req(`/api/0/devservices/${name}/`, { method: "PUT", body }));
    assert.deepEqual(await (await put("redis", "{")).json(), { detail: "body is not valid JSON" });
    const bad = await put("redis", '{"state":"paused"}');
    assert.equal(bad.status, 400);
    assert.deepEqual(await bad.json(), { detail: 'state must be "running" or "stopped"' });
    assert.equal((await put("nope", '{"state":"running"}')).status, 404);
    assert.equal((await put("redis", "x".repeat(70_000))).status, 413);
    const ok = await put("kafka", '{"state":"running"}');
    assert.equal(ok.status, 200);
    assert.equal(((await ok.json()) as { state: string }).state, "running");
    assert.deepEqual(deps.services.calls, ["kafka:running"]);
    deps.services.failNext = new SentryctlError("failure", "Service `kafka` has no container");
    const refused = await put("kafka", '{"state":"running"}');
    assert.equal(refused.status, 409);
    assert.deepEqual(await refused.json(), { detail: "Service `kafka` has no container" });
    deps.services.failNext = new SentryctlError("docker_unavailable", "Docker stopped answering");
    assert.equal((await put("kafka", '{"state":"stopped"}')).status, 503);
    deps.services.failNext = new Error("bug");
    const bug = await put("kafka", '{"state":"stopped"}');
    assert.equal(bug.status, 500);
    assert.deepEqual(await bug.json(), { detail: "Internal Error" });
  });

  test("logs stream as server-sent events, restarts marked", async () => {
    const deps = fakeDeps();
    deps.services.logLines = [
      { kind: "line", stream: "stdout", text: "Ready to accept connections" },
      { kind: "restart", at: Date.UTC(2026, 0, 1) },
      { kind: "line", stream: "stderr", text: "warn: x" },
      { kind: "end", reason: "container removed" },
    ];
    const { fetch } = createStatusApp(deps);
    const res = await fetch(req("/api/0/devservices/redis/logs/"));
    assert.equal(res.headers.get("content-type"), "text/event-stream; charset=utf-8");
    const text = await res.text();
    assert.equal(
      text,
      ": connected\n\nevent: stdout\ndata: Ready to accept connections\n\n" +
        "event: restart\ndata: 2026-01-01T00:00:00.000Z\n\n" +
        "event: stderr\ndata: warn: x\n\nevent: end\ndata: container removed\n\n",
    );
    assert.equal((await fetch(req("/api/0/devservices/nope/logs/"))).status, 404);
  });

  test("the live stream pushes service changes and samples stats only while open", async () => {
    const deps = fakeDeps();
    const { fetch, sampler } = createStatusApp(deps);
    const controller = new AbortController();
    const res = await fetch(req("/api/0/live/", { signal: controller.signal }));
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    const readUntil = async (pattern: RegExp) => {
      const deadline = Date.now() + 3000;
      while (!pattern.test(text) && Date.now() < deadline) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value);
      }
      return pattern.test(text);
    };
    assert.ok(
      await readUntil(/event: services\ndata: <tr data-name="redis" data-state="running">/),
    );
    assert.equal(sampler.active, true);
    deps.services.change("redis", "exited");
    assert.ok(await readUntil(/<tr data-name="redis" data-state="exited">/));
    assert.ok(await readUntil(/aria-label="CPU: 12\.5%"/));
    // A burst of 200 events while the dashboard is open: the inbox is pushed coalesced.
    for (let i = 0; i < 200; i++) {
      await fetch(
        req("/api/1/envelope/", {
          method: "POST",
          body: envelope(i.toString(16).padStart(32, "0")),
        }),
      );
    }
    assert.ok(
      await readUntil(
        /event: events\ndata: <tr><td><a href="\/events\/000000000000000000000000000000c7\/">/,
      ),
    );
    const pushes = (text.match(/event: events\n/g) ?? []).length;
    assert.ok(pushes >= 1 && pushes <= 5, `${pushes} inbox pushes for 200 events`);
    await reader.cancel();
    controller.abort();
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(sampler.active, false);
    assert.equal(deps.services.listeners, 0);
  });

  test("the dashboard shows services, the DSN and the inbox", async () => {
    const { fetch } = createStatusApp(fakeDeps());
    const html = await (await fetch(req("/"))).text();
    assert.match(html, /redis<\/a><\/td><td class="state state-running">running<\/td>/);
    assert.match(html, /<code>http:\/\/sentryctl@127\.0\.0\.1:8990\/1<\/code>/);
    assert.match(html, /No events received yet\./);
    assert.match(html, /data-live="\/api\/0\/live\/\?seen=[0-9a-f]{16}"/);
    assert.ok(!html.includes(TOKEN) && !html.includes("one-time-code-123456"), "secret rendered");
    assert.match(html, /<td><a href="\/services\/redis\/logs\/">redis<\/a><\/td>/);
    const logs = await (await fetch(req("/services/redis/logs/"))).text();
    assert.match(
      logs,
      /<pre class="logs" id="logs" data-logs="\/api\/0\/devservices\/redis\/logs\/"><\/pre>/,
    );
    assert.equal((await fetch(req("/services/nope/logs/"))).status, 404);
    const js = await fetch(req("/static/app.js", { auth: false }));
    assert.equal(js.status, 200);
    assert.match(js.headers.get("content-type")!, /^text\/javascript/);
  });
});
