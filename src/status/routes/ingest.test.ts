// Unit tests of ingest's fast path (routes/ingest.ts): which requests take it, and that each of
// them is answered exactly as the router answers it (status, headers, body, what is stored).

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import zlib from "node:zlib";
import { SentryctlError } from "../../errors.ts";
import { fakeDeps } from "../../../tests/helpers/fake-status.ts";
import { createStatusApp } from "../app.ts";
import { ingestFastPath } from "./ingest.ts";

const HOST = "127.0.0.1:8990";
const ID = "9ec79c33ec9942ab8353589fcb2e04dc";

function post(path: string, body: BodyInit, headers: Record<string, string> = {}): Request {
  return new Request(`http://${HOST}${path}`, {
    method: "POST",
    body,
    headers: { host: HOST, ...headers },
  });
}

const ENVELOPE = `{"event_id":"${ID}"}\n{"type":"event"}\n{"event_id":"${ID}","message":"hi"}\n`;

describe("ingest's fast path takes only the hot POSTs with nothing else to answer", () => {
  const { env } = createStatusApp(fakeDeps());
  const fast = ingestFastPath(env);
  const taken = (r: Request) => fast(r) !== undefined;

  test("envelopes (with or without the last slash, any numeric project) and /stream", () => {
    assert.equal(taken(post("/api/1/envelope/", ENVELOPE)), true);
    assert.equal(taken(post("/api/42/envelope", ENVELOPE)), true);
    assert.equal(taken(post("/api/1/envelope/?sentry_key=abc", ENVELOPE)), true);
    assert.equal(taken(post("/stream", ENVELOPE)), true);
  });

  test("everything else goes to the router", () => {
    const get = new Request(`http://${HOST}/api/1/envelope/`, { headers: { host: HOST } });
    assert.equal(taken(get), false);
    assert.equal(taken(post("/api/1/store/", "{}")), false);
    assert.equal(taken(post("/api/x/envelope/", ENVELOPE)), false);
    assert.equal(taken(post("/api/1/envelope/more", ENVELOPE)), false);
    assert.equal(taken(post("/api/%31/envelope/", ENVELOPE)), false);
    assert.equal(taken(post("/stream/", ENVELOPE)), false);
    // A browser's request (CORS answered by the route) and a Host the router refuses.
    assert.equal(taken(post("/stream", ENVELOPE, { origin: "http://localhost:3000" })), false);
    assert.equal(taken(post("/stream", ENVELOPE, { host: "evil.example" })), false);
  });
});

/** The same request answered by the app's fetch (fast path) and by its router alone. */
async function both(make: () => Request, deps = fakeDeps) {
  const fastApp = createStatusApp(deps());
  const routerApp = createStatusApp(deps());
  const fast = await fastApp.fetch(make());
  const routed = await routerApp.app.fetch(make());
  const shape = async (r: Response) => ({
    status: r.status,
    headers: [...r.headers].filter(([k]) => k !== "date"),
    body: await r.text(),
  });
  return {
    fast: await shape(fast),
    routed: await shape(routed),
    stored: [fastApp.events.size, routerApp.events.size],
  };
}

describe("a request the fast path takes is answered as the router answers it", () => {
  const cases: [string, () => Request][] = [
    [
      "an envelope",
      () => post("/api/1/envelope/", ENVELOPE, { "x-sentry-auth": "Sentry sentry_key=k" }),
    ],
    ["an envelope, the key in the query", () => post("/api/7/envelope?sentry_key=q", ENVELOPE)],
    [
      "a gzip envelope",
      () => post("/api/1/envelope/", zlib.gzipSync(ENVELOPE), { "content-encoding": "gzip" }),
    ],
    ["Spotlight's /stream", () => post("/stream", ENVELOPE)],
    ["malformed JSON", () => post("/api/1/envelope/", '{}\n{"type":"event"}\n{oops\n')],
    ["an empty body", () => post("/stream", "")],
    [
      "a declared length past the limit",
      () =>
        post("/api/1/envelope/", "x".repeat(64), { "content-length": String(200 * 1024 * 1024) }),
    ],
    [
      "an unknown encoding",
      () => post("/api/1/envelope/", ENVELOPE, { "content-encoding": "zstd-ish" }),
    ],
  ];
  for (const [name, make] of cases) {
    test(name, async () => {
      const { fast, routed, stored } = await both(make);
      assert.deepEqual(fast, routed);
      assert.equal(stored[0], stored[1]);
    });
  }

  test("an error no route handles: the status the app's error handler gives", async () => {
    const deps = () =>
      fakeDeps({
        onIngest: () => {
          throw new SentryctlError("docker_unavailable", "the engine went away");
        },
      });
    const { fast, routed } = await both(() => post("/api/1/envelope/", ENVELOPE), deps);
    assert.equal(fast.status, 503);
    assert.deepEqual(fast, routed);
    const plain = () =>
      fakeDeps({
        onIngest: () => {
          throw new Error("bug");
        },
      });
    const second = await both(() => post("/stream", ENVELOPE), plain);
    assert.equal(second.fast.status, 500);
    assert.deepEqual(second.fast, second.routed);
  });
});
