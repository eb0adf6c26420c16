// Spotlight's sidecar routes in-process (SPEC §7a): the stream's wire format and replay, and
// the locks on the routes that read files, start programs or drop the inbox.

import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { createStatusApp } from "../app.ts";
import type { StatusDeps } from "../deps.ts";
import { readSse, type SseEvent } from "../sse-reader.ts";
import { fakeDeps } from "../../../tests/helpers/fake-status.ts";

const HOST = "127.0.0.1:8990";
const TOKEN = "t0ken-t0ken-t0ken-t0ken";

function req(path: string, init: RequestInit & { auth?: boolean } = {}) {
  const headers = new Headers(init.headers);
  headers.set("host", HOST);
  if (init.auth !== false) headers.set("authorization", `Bearer ${TOKEN}`);
  return new Request(`http://${HOST}${path}`, { ...init, headers });
}

function errorEnvelope(message: string): string {
  return `{"sdk":{"name":"sentry.javascript.node"}}\n{"type":"event"}\n` +
    `${JSON.stringify({ message, level: "error" })}\n`;
}

const LOG_ENVELOPE = '{}\n{"type":"log","item_count":1}\n' +
  '{"items":[{"timestamp":1,"level":"info","body":"hello\\r\\nworld"}]}\n';

async function ingest(app: ReturnType<typeof createStatusApp>, body: string) {
  const res = await app.fetch(req("/stream", { method: "POST", body, auth: false }));
  assert.equal(res.status, 200);
}

async function take(res: Response, n: number, ac: AbortController): Promise<SseEvent[]> {
  const out: SseEvent[] = [];
  for await (const ev of readSse(res.body!, ac.signal)) {
    out.push(ev);
    if (out.length === n) break;
  }
  ac.abort();
  return out;
}

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function app(overrides: Partial<StatusDeps> = {}) {
  return createStatusApp(fakeDeps(overrides));
}

describe("GET /stream", () => {
  test("needs no token, replays the buffer and follows live, in Spotlight's format", async () => {
    const a = app();
    await ingest(a, errorEnvelope("first"));
    const ac = new AbortController();
    const res = await a.fetch(req("/stream", { auth: false, signal: ac.signal }));
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type")!, /^text\/event-stream/);
    const events = take(res, 2, ac);
    await ingest(a, LOG_ENVELOPE);
    const [first, second] = await events;
    assert.equal(first!.event, "application/x-sentry-envelope");
    const [header, items] = JSON.parse(first!.data);
    assert.equal(header.__spotlight_envelope_id, first!.id);
    assert.deepEqual(items[0][1], { message: "first", level: "error", type: "event" });
    const log = JSON.parse(second!.data);
    assert.equal(log[1][0][1].items[0].body, "hello\r\nworld");
    assert.ok(second!.id! > first!.id!);
  });

  test("Last-Event-ID replays only what came after; ?base64 marks the event name", async () => {
    const a = app();
    await ingest(a, errorEnvelope("one"));
    await ingest(a, errorEnvelope("two"));
    await ingest(a, errorEnvelope("three"));
    const ac = new AbortController();
    const all = await take(await a.fetch(req("/stream", { signal: ac.signal })), 3, ac);
    const ac2 = new AbortController();
    const res = await a.fetch(
      req("/stream?base64=1", { headers: { "last-event-id": all[0]!.id! }, signal: ac2.signal }),
    );
    const rest = await take(res, 2, ac2);
    assert.deepEqual(rest.map((e) => e.id), [all[1]!.id, all[2]!.id]);
    assert.equal(rest[0]!.event, "application/x-sentry-envelope;base64");
    assert.equal(JSON.parse(rest[1]!.data)[1][0][1].message, "three");
  });

  test("the Host rule applies", async () => {
    const res = await app().fetch(
      new Request("http://evil.example/stream", { headers: { host: "evil.example" } }),
    );
    assert.equal(res.status, 403);
  });
});

describe("the authenticated sidecar routes", () => {
  test("GET /envelope/<id> returns the raw envelope to a token holder only", async () => {
    const a = app();
    await ingest(a, errorEnvelope("raw"));
    const id = a.inbox.feed.all()[0]!.id;
    assert.equal((await a.fetch(req(`/envelope/${id}`, { auth: false }))).status, 401);
    const res = await a.fetch(req(`/envelope/${id}`));
    assert.equal(res.status, 200);
    assert.equal(await res.text(), errorEnvelope("raw"));
    assert.equal(
      (await a.fetch(req("/envelope/0190aaaa-0000-7000-8000-000000000000"))).status,
      404,
    );
  });

  test("DELETE /clear empties the inbox and the feed", async () => {
    const a = app();
    await ingest(a, errorEnvelope("gone"));
    assert.equal((await a.fetch(req("/clear", { method: "DELETE", auth: false }))).status, 401);
    const cross = await a.fetch(
      req("/clear", { method: "DELETE", headers: { origin: "http://evil.example" } }),
    );
    assert.equal(cross.status, 403);
    assert.equal(a.inbox.feed.size, 1);
    const res = await a.fetch(req("/clear", { method: "DELETE" }));
    assert.equal(res.status, 200);
    assert.equal(a.inbox.feed.size, 0);
    assert.equal(a.events.size, 0);
  });

  test("PUT /contextlines fills frames from files in the source root only", async () => {
    const root = mkdtempSync(join(tmpdir(), "sidecar-ctx-"));
    const outside = mkdtempSync(join(tmpdir(), "sidecar-out-"));
    dirs.push(root, outside);
    const lines = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join("\n");
    mkdirSync(join(root, "src"));
    mkdirSync(join(root, "node_modules"));
    writeFileSync(join(root, "src", "app.js"), lines);
    writeFileSync(join(root, ".env"), "SECRET=1\n");
    writeFileSync(join(root, "node_modules", "dep.js"), lines);
    writeFileSync(join(outside, "secret.js"), "top secret\n");
    symlinkSync(join(outside, "secret.js"), join(root, "src", "link.js"));
    const a = app({ sourceRoot: root });
    const frame = (filename: string) => ({ filename, lineno: 10, colno: 3 });
    const body = {
      frames: [
        frame(join(root, "src", "app.js")),
        frame("src/app.js"),
        frame(join(root, ".env")),
        frame(join(root, "node_modules", "dep.js")),
        frame(join(outside, "secret.js")),
        frame(join(root, "src", "link.js")),
        frame(`${root}/src/../../${outside.split("/").pop()}/secret.js`),
        frame("http://127.0.0.1:1/app.js"),
      ],
    };
    assert.equal(
      (await a.fetch(req("/contextlines", { method: "PUT", body: "{}", auth: false }))).status,
      401,
    );
    const res = await a.fetch(req("/contextlines", { method: "PUT", body: JSON.stringify(body) }));
    assert.equal(res.status, 200);
    const out = (await res.json()) as { frames: Record<string, unknown>[] };
    assert.equal(out.frames[0]!.context_line, "line 10");
    assert.deepEqual(out.frames[0]!.pre_context, [
      "line 5",
      "line 6",
      "line 7",
      "line 8",
      "line 9",
    ]);
    assert.deepEqual(out.frames[0]!.post_context, [
      "line 11",
      "line 12",
      "line 13",
      "line 14",
      "line 15",
    ]);
    assert.equal(out.frames[1]!.context_line, "line 10");
    for (const f of out.frames.slice(2)) {
      assert.equal(f.context_line, undefined, String(f.filename));
    }
    const bad = await a.fetch(req("/contextlines", { method: "PUT", body: "{" }));
    assert.equal(bad.status, 400);
  });

  test("POST /open starts the editor on a file in the root, without a shell", async () => {
    const root = mkdtempSync(join(tmpdir(), "sidecar-open-"));
    dirs.push(root);
    writeFileSync(join(root, "a b;$(touch x).js"), "x\n");
    const launched: string[][] = [];
    const launch = (argv: string[]) => {
      launched.push(argv);
      return Promise.resolve();
    };
    const deps = { sourceRoot: root, loopback: true, launch, editorEnv: { EDITOR: "vim -n" } };
    const a = app(deps);
    const open = (body: string, init: RequestInit & { auth?: boolean } = {}) =>
      a.fetch(req("/open", { method: "POST", body, ...init }));
    assert.equal((await open("a b;$(touch x).js:3:2", { auth: false })).status, 401);
    assert.equal(
      (await open("a b;$(touch x).js:3", { headers: { origin: "http://evil.example" } })).status,
      403,
    );
    assert.equal((await open("a b;$(touch x).js:3:2")).status, 204);
    assert.deepEqual(launched, [["vim", "-n", "+3", join(root, "a b;$(touch x).js")]]);
    assert.equal((await open("/etc/passwd:1")).status, 404);
    assert.equal((await open("")).status, 400);
    const code = app({ ...deps, editorEnv: { SENTRYCTL_EDITOR: "code", EDITOR: "vim" } });
    await code.fetch(req("/open", { method: "POST", body: "a b;$(touch x).js:7:9" }));
    assert.deepEqual(launched[1], ["code", "-g", `${join(root, "a b;$(touch x).js")}:7:9`]);
    const none = app({ ...deps, editorEnv: {} });
    assert.equal(
      (await none.fetch(req("/open", { method: "POST", body: "a b;$(touch x).js" }))).status,
      409,
    );
    const remote = app({ ...deps, loopback: false });
    assert.equal(
      (await remote.fetch(req("/open", { method: "POST", body: "a b;$(touch x).js" }))).status,
      403,
    );
    assert.equal(launched.length, 2);
  });
});
