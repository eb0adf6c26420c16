import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as core from "@sentry/core";
import type { Envelope } from "@sentry/core";
import { MultiplexingTransport, TargetTransport, type TransportFetch } from "./transport.ts";

interface Sent {
  url: string;
  auth: string;
  body: string;
}

/** A fetch that records requests and answers from a per-host script. */
function fakeFetch(
  answer: (url: string) => Promise<{ status: number; headers?: Record<string, string> }>,
) {
  const sent: Sent[] = [];
  const fetch: TransportFetch = async (url, init) => {
    sent.push({ url, auth: init.headers["X-Sentry-Auth"]!, body: String(init.body) });
    const a = await answer(url);
    const headers = new Map(Object.entries(a.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
    return {
      status: a.status,
      headers: { get: (n: string) => headers.get(n.toLowerCase()) ?? null },
    };
  };
  return { sent, fetch };
}

function setup(
  answer: Parameters<typeof fakeFetch>[0],
  opts: {
    upstreamMetrics?: boolean;
    relaySampleRate?: unknown;
    s4sMetricsRate?: number;
    random?: () => number;
  } = {},
) {
  const { sent, fetch } = fakeFetch(answer);
  const metrics: string[] = [];
  const incr = (key: string) => void metrics.push(key);
  const make = (name: "upstream" | "relay", dsn: string) =>
    new TargetTransport(core, { name, dsn, fetch, incr, client: "sentryctl/test" });
  const mux = new MultiplexingTransport(
    make("upstream", "http://upkey@127.0.0.1:1001/11"),
    make("relay", "https://relaykey@relay.test:1002/prefix/22"),
    {
      incr,
      upstreamMetrics: opts.upstreamMetrics ?? false,
      s4sMetricsRate: opts.s4sMetricsRate ?? 0,
      relaySampleRate: opts.relaySampleRate ?? 1,
      forceDisableInternal: false,
      random: opts.random,
    },
  );
  return { sent, metrics, mux };
}

function eventEnvelope(id: string, withStatsd = false): Envelope {
  const items: unknown[] = [[{ type: "event" }, { event_id: id, message: "m" }]];
  if (withStatsd) items.push([{ type: "statsd" }, "x:1|c"]);
  return [{ event_id: id }, items] as unknown as Envelope;
}

const ok = () => Promise.resolve({ status: 200 });
const itemTypes = (body: string) =>
  body.split("\n").slice(1).filter((l) => l.startsWith('{"type"')).map((l) => JSON.parse(l).type);

describe("MultiplexingTransport", () => {
  test("upstream first, then relay; each with its own auth, URL and envelope dsn", async () => {
    const { sent, mux, metrics } = setup(ok);
    await mux.send(eventEnvelope("a".repeat(32)));
    await mux.flush(1000);
    assert.deepEqual(sent.map((s) => s.url), [
      "http://127.0.0.1:1001/api/11/envelope/",
      "https://relay.test:1002/prefix/api/22/envelope/",
    ]);
    assert.equal(
      sent[0]!.auth,
      "Sentry sentry_version=7, sentry_key=upkey, sentry_client=sentryctl/test",
    );
    assert.equal(
      sent[1]!.auth,
      "Sentry sentry_version=7, sentry_key=relaykey, sentry_client=sentryctl/test",
    );
    assert.equal(JSON.parse(sent[0]!.body.split("\n")[0]!).dsn, "http://upkey@127.0.0.1:1001/11");
    assert.equal(
      JSON.parse(sent[1]!.body.split("\n")[0]!).dsn,
      "https://relaykey@relay.test:1002/prefix/22",
    );
    assert.deepEqual(metrics, [
      "internal.captured.events.envelopes",
      "internal.captured.events.upstream",
      "internal.sent_requests.upstream.events",
      "internal.captured.events.relay",
      "internal.sent_requests.relay.events",
    ]);
  });

  test("statsd items leave the upstream copy only, unless upstream metrics are enabled", async () => {
    const off = setup(ok);
    await off.mux.send(eventEnvelope("b".repeat(32), true));
    assert.deepEqual(itemTypes(off.sent[0]!.body), ["event"]);
    assert.deepEqual(itemTypes(off.sent[1]!.body), ["event", "statsd"]);
    const on = setup(ok, { upstreamMetrics: true });
    await on.mux.send(eventEnvelope("c".repeat(32), true));
    assert.deepEqual(itemTypes(on.sent[0]!.body), ["event", "statsd"]);
  });

  test("store.allow-s4s-ddm-sample-rate is a fraction: 0.25 keeps draws below 0.25, 1 keeps all", async () => {
    // Draws on both sides of the rate, and close to it: a rate read as a percentage (0.0025), or
    // a comparison turned around, keeps a different set.
    const draws = [0.01, 0.2, 0.249, 0.251, 0.3, 0.9];
    const kept = async (rate: number) => {
      const queue = [...draws];
      const t = setup(ok, { s4sMetricsRate: rate, random: () => queue.shift()! });
      const out: boolean[] = [];
      for (let i = 0; i < draws.length; i++) {
        const before = t.sent.length;
        await t.mux.send(eventEnvelope(String(i).repeat(32).slice(0, 32), true));
        const upstream = t.sent.slice(before).find((s) => s.url.includes("127.0.0.1:1001"))!;
        out.push(itemTypes(upstream.body).includes("statsd"));
      }
      return out;
    };
    assert.deepEqual(await kept(0.25), [true, true, true, false, false, false]);
    assert.deepEqual(await kept(1), [true, true, true, true, true, true]);
    assert.deepEqual(await kept(0), [false, false, false, false, false, false]);
  });

  test("a rate-limited upstream is skipped for the period; relay still gets every event; a client report follows", async () => {
    const { sent, mux } = setup((url) =>
      Promise.resolve(
        url.includes(":1001")
          ? { status: 429, headers: { "X-Sentry-Rate-Limits": "60:error:key" } }
          : { status: 200 },
      )
    );
    await mux.send(eventEnvelope("1".repeat(32)));
    await mux.send(eventEnvelope("2".repeat(32)));
    assert.equal(mux.upstream!.results.get("1".repeat(32)), "rejected (429)");
    assert.equal(mux.upstream!.results.get("2".repeat(32)), "skipped (rate limited)");
    await mux.flush(1000);
    assert.equal(mux.relay!.results.get("2".repeat(32)), "sent (200)");
    const upstream = sent.filter((s) => s.url.includes(":1001"));
    const relay = sent.filter((s) => s.url.includes(":1002"));
    assert.equal(relay.length, 2);
    assert.equal(upstream.length, 2, "one event, then the client report");
    const report = JSON.parse(upstream[1]!.body.split("\n")[2]!);
    assert.deepEqual(report.discarded_events, [
      { reason: "ratelimit_backoff", category: "error", quantity: 1 },
    ]);
  });

  test("a failing upstream does not break relay; a hanging one does not block flush past its bound", async () => {
    const failing = setup((url) =>
      url.includes(":1001") ? Promise.reject(new TypeError("connect refused")) : ok()
    );
    await failing.mux.send(eventEnvelope("d".repeat(32)));
    await failing.mux.flush(1000);
    assert.equal(failing.mux.relay!.results.get("d".repeat(32)), "sent (200)");
    assert.match(failing.mux.upstream!.results.get("d".repeat(32))!, /^failed \(/);

    const hanging = setup((url) => (url.includes(":1001") ? new Promise(() => {}) : ok()));
    void hanging.mux.send(eventEnvelope("e".repeat(32)));
    const started = Date.now();
    // The fake request does no I/O: a ref'd timer keeps the loop alive while flush waits (Deno
    // ends a test whose only pending timer is @sentry/core's unref'd drain timeout).
    const keepAlive = setTimeout(() => {}, 1000);
    const flushed = await hanging.mux.flush(100);
    clearTimeout(keepAlive);
    assert.equal(flushed, false);
    assert.ok(Date.now() - started < 1000);
    assert.equal(hanging.mux.relay!.results.get("e".repeat(32)), "sent (200)");
  });

  test("relay only when store.use-relay-dsn-sample-rate is exactly 1; lost events go to relay's report", async () => {
    const off = setup(ok, { relaySampleRate: 0.5 });
    await off.mux.send(eventEnvelope("f".repeat(32)));
    assert.equal(off.sent.length, 1);
    const { sent, mux } = setup(ok);
    mux.recordLostEvent("before_send", "error", 2);
    await mux.flush(1000);
    assert.equal(sent.length, 1);
    assert.ok(sent[0]!.url.includes(":1002"));
    assert.deepEqual(JSON.parse(sent[0]!.body.split("\n")[2]!).discarded_events, [
      { reason: "before_send", category: "error", quantity: 2 },
    ]);
  });

  test("per-target outcomes are kept for the latest 1000 events only", async () => {
    const { mux } = setup(ok);
    for (let i = 0; i < 1005; i++) {
      await mux.send(eventEnvelope(i.toString(16).padStart(32, "0")));
      if (i % 50 === 49) await mux.flush(1000);
    }
    await mux.flush(1000);
    assert.equal(mux.upstream!.results.size, 1000);
    assert.equal(mux.upstream!.results.has("0".repeat(32)), false);
    assert.equal(mux.upstream!.results.get((1004).toString(16).padStart(32, "0")), "sent (200)");
  });

  test("unsafe events (tag _unsafe, or processing the internal project) skip relay, counted", async () => {
    const { sent, fetch } = fakeFetch(ok);
    const metrics: [string, unknown][] = [];
    const incr = (key: string, _a?: number, o?: { tags?: unknown }) =>
      void metrics.push([key, o?.tags]);
    const make = (name: "upstream" | "relay", dsn: string) =>
      new TargetTransport(core, { name, dsn, fetch, incr, client: "t" });
    const mux = new MultiplexingTransport(
      make("upstream", "http://u@127.0.0.1:1001/1"),
      make("relay", "http://r@127.0.0.1:1002/2"),
      {
        incr,
        upstreamMetrics: false,
        s4sMetricsRate: 0,
        relaySampleRate: 1,
        forceDisableInternal: false,
        internalProject: 1,
      },
    );
    const withTags = (id: string, tags: Record<string, unknown>) =>
      [{ event_id: id }, [[{ type: "event" }, { event_id: id, tags }]]] as unknown as Envelope;
    await mux.send(withTags("a".repeat(32), { _unsafe: "1" }));
    await mux.send(withTags("b".repeat(32), { processing_event_for_project: "1" }));
    await mux.send(withTags("c".repeat(32), { processing_event_for_project: "2" }));
    await mux.flush(1000);
    assert.deepEqual(sent.map((s) => s.url.includes(":1002") ? "relay" : "upstream"), [
      "upstream",
      "upstream",
      "upstream",
      "relay",
    ]);
    assert.deepEqual(
      metrics.filter(([k]) => k === "internal.uncaptured.events.relay"),
      [
        ["internal.uncaptured.events.relay", { reason: "unsafe" }],
        ["internal.uncaptured.events.relay", { reason: "unsafe" }],
      ],
    );
  });
});
