// Issue 19's status-server items, each as a hostile client would try it: an envelope whose
// message is an object with hostile toString/valueOf (6), a bare CR in SSE data (7), a 50k-deep
// event (9), ordinary names taken for secrets (10), and the gaps a planted-bug audit found:
// tokens compared over the shorter length, an unescaped attachment file name, a length-
// prefixed last item without a trailing newline, subdomains of allowed hosts, a zip bomb
// checked only below zlib's chunk size.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import zlib from "node:zlib";
import { createStatusApp } from "./app.ts";
import { decodeBody } from "./body.ts";
import { parseEnvelope } from "./envelope.ts";
import { TooLarge } from "./envelope.ts";
import { renderFrameContext } from "./html/frame.ts";
import { hostAllowed, sameSecret } from "./security.ts";
import { frame } from "./sse.ts";
import { fakeDeps } from "../../tests/helpers/fake-status.ts";
import { parseSse, readFor } from "../../tests/helpers/sse-text.ts";

const HOST = "127.0.0.1:8990";
const TOKEN = "t0ken-t0ken-t0ken-t0ken";
const enc = (s: string) => new TextEncoder().encode(s);

function req(path: string, init: RequestInit = {}, auth = true): Request {
  const headers = new Headers(init.headers);
  headers.set("host", HOST);
  if (auth && !headers.has("authorization")) headers.set("authorization", `Bearer ${TOKEN}`);
  return new Request(`http://${HOST}${path}`, { ...init, headers });
}

describe("issue 19: the status server must not break or leak", () => {
  test("6: an object with hostile toString/valueOf as the message breaks nothing", async () => {
    const { fetch } = createStatusApp(fakeDeps());
    const body = `{}\n{"type":"event"}\n{"message":{"formatted":{"toString":1,"valueOf":1}}}\n`;
    const ingest = await fetch(req("/api/1/envelope/", { method: "POST", body }, false));
    assert.equal(ingest.status, 200);
    const { id } = (await ingest.json()) as { id: string };
    const live = fetch(req("/api/0/live/"));
    for (const path of ["/", "/errors/", "/events/", `/events/${id}/`]) {
      const res = await fetch(req(path));
      assert.equal(res.status, 200, path);
      assert.match(await res.text(), /toString/, path);
    }
    const list = (await (await fetch(req("/api/0/events/"))).json()) as { title: unknown }[];
    assert.equal(typeof list[0]!.title, "string");
    assert.equal(list[0]!.title, '{"toString":1,"valueOf":1}');
    // The live stream renders the same item after ingest.
    const stream = await live;
    await fetch(req("/api/1/envelope/", { method: "POST", body }, false));
    const text = await readFor(stream, 600);
    assert.match(text, /event: events\ndata: <tr><td><a href="\/events\//);
  });

  test("7: SSE data is framed on CRLF, LF and a lone CR; nothing can inject an event", () => {
    const hostile = "progress 10%\rprogress 100%\r\revent: services\rdata: <b>x</b>\r\n\nend";
    const events = parseSse(frame("stdout", hostile));
    assert.equal(events.length, 1);
    assert.equal(events[0]!.event, "stdout");
    assert.equal(
      events[0]!.data,
      "progress 10%\nprogress 100%\n\nevent: services\ndata: <b>x</b>\n\nend",
    );
    const named = parseSse(frame("a\rb\nc", "d", "1\r2"));
    assert.deepEqual(named, [{ event: "a b c", data: "d" }]);
  });

  test("7: a log line with a bare CR reaches the log stream whole", async () => {
    const deps = fakeDeps();
    deps.services.logLines = [{
      kind: "line",
      stream: "stdout",
      text: "progress 10%\rprogress 100%",
    }];
    const { fetch } = createStatusApp(deps);
    const text = await readFor(await fetch(req("/api/0/devservices/redis/logs/")), 300);
    const got = parseSse(text).filter((e) => e.event === "stdout");
    assert.deepEqual(got, [{ event: "stdout", data: "progress 10%\nprogress 100%" }]);
  });

  test("9: a 50k-deep event is refused at ingest with a reason; 150 deep is shown", async () => {
    const { fetch, events } = createStatusApp(fakeDeps());
    const deep = (n: number) => `{"extra":${"[".repeat(n)}1${"]".repeat(n)},"message":"deep"}`;
    for (const path of ["/api/1/envelope/", "/api/1/store/"]) {
      const body = path.endsWith("store/")
        ? deep(50_000)
        : `{}\n{"type":"event"}\n${deep(50_000)}\n`;
      const res = await fetch(req(path, { method: "POST", body }, false));
      assert.equal(res.status, 400, path);
      assert.match(
        ((await res.json()) as { detail: string }).detail,
        /nested deeper than 200 levels/,
      );
    }
    assert.equal(events.size, 0);
    const ok = await fetch(
      req(
        "/api/1/envelope/",
        { method: "POST", body: `{}\n{"type":"event"}\n${deep(150)}\n` },
        false,
      ),
    );
    assert.equal(ok.status, 200);
    const { id } = (await ok.json()) as { id: string };
    assert.equal((await fetch(req(`/events/${id}/`))).status, 200);
    assert.equal((await fetch(req(`/api/0/events/${id}/`))).status, 200);
    // A string full of brackets is not nesting.
    const text = `{}\n{"type":"event"}\n{"message":"${"[".repeat(1000)}"}\n`;
    assert.equal(
      (await fetch(req("/api/1/envelope/", { method: "POST", body: text }, false))).status,
      200,
    );
  });

  test("10: variables show as sent; only whole names of Sentry's default list are masked", () => {
    const ordinary = [
      "author",
      "passenger",
      "bypass",
      "compass",
      "tokenizer",
      "obsession",
      "privateer",
    ];
    const vars = Object.fromEntries(ordinary.map((k) => [k, `value-of-${k}`]));
    const html = renderFrameContext({
      lineno: 1,
      context_line: "x",
      vars: { ...vars, password: "hunter2", Token: "t", nested: { secret: "s", author: "a" } },
    }, { expanded: true });
    for (const k of ordinary) assert.ok(html.includes(`value-of-${k}`), k);
    assert.ok(!html.includes("hunter2") && !html.includes('"s"'));
    assert.match(html, /&quot;author&quot;:&quot;a&quot;/);
  });
});

describe("issue 19: tests that tell right from wrong", () => {
  test("the token must match whole: truncated, extended and prefix tokens are refused", async () => {
    assert.equal(sameSecret(TOKEN, TOKEN), true);
    for (const wrong of [TOKEN.slice(0, -1), TOKEN + "x", "t", TOKEN.slice(0, 8), ""]) {
      assert.equal(sameSecret(wrong, TOKEN), false, wrong);
    }
    const { fetch } = createStatusApp(fakeDeps());
    for (const wrong of [TOKEN.slice(0, -1), `${TOKEN}x`, "t"]) {
      const res = await fetch(
        req("/api/0/status/", { headers: { authorization: `Bearer ${wrong}` } }),
      );
      assert.equal(res.status, 401, wrong);
    }
    assert.equal((await fetch(req("/api/0/status/"))).status, 200);
  });

  test("an attachment's file name is escaped on the event page and in the lists", async () => {
    const { fetch } = createStatusApp(fakeDeps());
    const name = `<img src=x onerror=alert(1)>".txt`;
    const body = `{"event_id":"${"e".repeat(32)}"}\n{"type":"event"}\n{"message":"m"}\n` +
      `{"type":"attachment","length":2,"filename":${JSON.stringify(name)}}\nhi\n`;
    assert.equal(
      (await fetch(req("/api/1/envelope/", { method: "POST", body }, false))).status,
      200,
    );
    for (const path of [`/events/${"e".repeat(32)}/`, "/attachments/", "/events/"]) {
      const html = await (await fetch(req(path))).text();
      assert.ok(!html.includes("<img src=x"), path);
      assert.ok(html.includes("&lt;img src=x onerror=alert(1)&gt;&quot;.txt"), path);
    }
  });

  test("a length-prefixed last item without a trailing newline is accepted", async () => {
    const text = `{"event_id":"${"f".repeat(32)}"}\n{"type":"event","length":16}\n{"message":"ok"}`;
    const env = parseEnvelope(enc(text));
    assert.deepEqual(env.items.map((i) => i.json), [{ message: "ok" }]);
    const { fetch, events } = createStatusApp(fakeDeps());
    const res = await fetch(req("/api/1/envelope/", { method: "POST", body: text }, false));
    assert.equal(res.status, 200);
    assert.equal(events.get("f".repeat(32))!.title, "ok");
  });

  test("the Host allow-list matches whole names: subdomains and suffixes are refused", async () => {
    const allowed = ["localhost", "127.0.0.1", "::1"];
    for (
      const host of [
        "x.localhost",
        "x.localhost:8990",
        "localhost.evil",
        "127.0.0.1.nip.io",
        "evil-localhost",
      ]
    ) {
      assert.equal(hostAllowed(host, allowed), false, host);
    }
    const { fetch } = createStatusApp(fakeDeps());
    const res = await fetch(
      new Request("http://x.localhost:8990/health", { headers: { host: "x.localhost:8990" } }),
    );
    assert.equal(res.status, 403);
  });

  test("zip bombs: refused past the limit across several zlib chunks, exact limit accepted", async () => {
    // 40 000 bytes is between zlib's second and third 16 KiB output chunk.
    const limit = 40_000;
    for (
      const [encoding, compress] of [["gzip", zlib.gzipSync], [
        "br",
        zlib.brotliCompressSync,
      ]] as const
    ) {
      const exact = await decodeBody(
        new Uint8Array(compress(Buffer.alloc(limit, 0x61))),
        encoding,
        limit,
      );
      assert.equal(exact.length, limit, encoding);
      await assert.rejects(
        decodeBody(new Uint8Array(compress(Buffer.alloc(limit + 1, 0x61))), encoding, limit),
        TooLarge,
        encoding,
      );
    }
    // 256 MiB of zeros: refused long before it is all inflated.
    // (256 gzip members of 1 MiB each: gunzip reads concatenated members as one stream.)
    const member = zlib.gzipSync(Buffer.alloc(1024 * 1024));
    const bomb = new Uint8Array(Buffer.concat(Array.from({ length: 256 }, () => member)));
    const heap = process.memoryUsage().rss;
    const started = performance.now();
    await assert.rejects(decodeBody(bomb, "gzip", 100_000), TooLarge);
    assert.ok(performance.now() - started < 1000, "stopped early");
    assert.ok(process.memoryUsage().rss - heap < 64 * 1024 * 1024, "did not hold the output");
  });
});
