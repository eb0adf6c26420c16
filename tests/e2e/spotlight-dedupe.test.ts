// End-to-end: an app on the real @sentry/node, run by `sentryctl run` while `serve` answers, gets
// both SENTRY_DSN and SENTRY_SPOTLIGHT for that server and sends every envelope to both
// (`/api/1/envelope/` and `/stream`). Each error, message, transaction and log must be in the
// inbox (`/api/0/events/`) and on `GET /stream` exactly once, and /metrics must show that the
// second copies did arrive and were dropped as repeats (so the SDK really sent twice).

import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { REPO_ROOT, runCli, testEnv } from "../helpers/cli.ts";
import { configDir } from "../helpers/config-dir.ts";
import { startServe, type StatusServer, stopServe } from "../helpers/status-server.ts";
import { readSse, type SseEvent } from "../../src/status/sse-reader.ts";

const env = testEnv();
const conf = configDir("SENTRY_DEVSERVICES: {}\n", "sentryctl-dedupe-e2e-");
let server: StatusServer | undefined;

after(async () => {
  await stopServe(server?.process);
  rmSync(conf, { recursive: true, force: true });
});

interface Summary {
  id: string;
  kind: string;
  type: string;
  title: string;
  traceID: string | null;
}

/** Spotlight's frame data: `[header, [[item header, payload], …]]`. */
type Frame = [Record<string, unknown>, [Record<string, unknown>, unknown][]];

function metric(text: string, line: RegExp): number {
  return Number(line.exec(text)?.[1] ?? 0);
}

test("an SDK given both SENTRY_DSN and SENTRY_SPOTLIGHT: every item once, in the inbox and on /stream", async () => {
  server = await startServe(conf, ["--bind", "127.0.0.1:0"], env);
  const { base } = server;

  // A live GET /stream reader from before the app runs.
  const frames: SseEvent[] = [];
  const ac = new AbortController();
  const reading = (async () => {
    const res = await fetch(`${base}/stream`, { signal: ac.signal });
    assert.equal(res.status, 200);
    for await (const ev of readSse(res.body!, ac.signal)) frames.push(ev);
  })().catch((err) => {
    if (!ac.signal.aborted) throw err;
  });

  const app = join(REPO_ROOT, "tests/e2e/fixtures/dedupe-app.mjs");
  const run = await runCli(
    ["--config", conf, "run", "--with", "", "--interpreter", "node", app],
    { env, cwd: REPO_ROOT },
  );
  assert.equal(run.code, 0, run.stderr);
  const ids = JSON.parse(run.stdout.trim().split("\n").at(-1)!) as {
    error: string;
    message: string;
  };

  const res = await server.api("/api/0/events/?per_page=100");
  assert.equal(res.status, 200);
  const items = (await res.json()) as Summary[];
  const count = (pred: (it: Summary) => boolean) => items.filter(pred).length;
  const shown = JSON.stringify(items.map((it) => [it.kind, it.type, it.title]));
  assert.equal(count((it) => it.id === ids.error), 1, shown);
  assert.equal(count((it) => it.id === ids.message), 1, shown);
  assert.equal(count((it) => it.title === "GET /dedupe"), 1, shown);
  assert.equal(count((it) => it.title === "SELECT 1"), 1, shown);
  assert.equal(count((it) => it.kind === "log" && it.title === "dedupe e2e once"), 1, shown);
  // Two records with the same text are two logs, and stay two.
  assert.equal(count((it) => it.kind === "log" && it.title === "dedupe e2e twice"), 2, shown);

  // The SDK sent to both: the second copies came and were dropped (errors, message and the
  // transaction by event id, the log and span containers by content).
  const metrics = await (await fetch(`${base}/metrics`)).text();
  const byId = metric(
    metrics,
    /^sentryctl_status_duplicate_envelopes_total\{reason="event_id"\} (\d+)$/m,
  );
  const byContent = metric(
    metrics,
    /^sentryctl_status_duplicate_envelopes_total\{reason="content"\} (\d+)$/m,
  );
  assert.ok(byId >= 2, metrics);
  assert.ok(byContent >= 1, metrics);

  // GET /stream: wait until the reader has every envelope the inbox holds, then a little more (a
  // repeat, if fed, would follow within the hub's window), and count.
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const has = (s: string) => frames.some((f) => f.data.includes(s));
    if (has(ids.error) && has(ids.message) && has("dedupe e2e once")) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await new Promise((r) => setTimeout(r, 1500));
  ac.abort();
  await reading;
  const envelopes = frames.filter((f) => f.event.startsWith("application/x-sentry-envelope"));
  const parsed = envelopes.map((f) => JSON.parse(f.data) as Frame);
  const withEventId = (id: string) =>
    parsed.filter(([header]) => String(header.event_id ?? "").replaceAll("-", "") === id).length;
  assert.equal(withEventId(ids.error), 1);
  assert.equal(withEventId(ids.message), 1);
  const itemsOf = (type: string) =>
    parsed.flatMap(([, its]) => its.filter(([h]) => h.type === type).map(([, p]) => p));
  // The transaction (span containers or a transaction item, as the SDK chooses) came once.
  const roots = [
    ...itemsOf("span").flatMap((p) => (p as { items?: { name?: string }[] }).items ?? [])
      .filter((sp) => sp.name === "GET /dedupe"),
    ...itemsOf("transaction").filter((p) =>
      (p as { transaction?: string }).transaction === "GET /dedupe"
    ),
  ];
  assert.equal(roots.length, 1);
  const logBodies = itemsOf("log").flatMap((p) =>
    ((p as { items?: { body: string }[] }).items ?? []).map((l) => l.body)
  );
  assert.deepEqual(
    logBodies.filter((b) => b.startsWith("dedupe e2e")).sort(),
    ["dedupe e2e once", "dedupe e2e twice", "dedupe e2e twice"],
  );
  // Every envelope on the stream is one the inbox holds: no id twice.
  const ids2 = envelopes.map((f) => f.id);
  assert.equal(new Set(ids2).size, ids2.length);
  assert.equal(
    envelopes.length,
    new Set(envelopes.map((f) => f.data)).size,
    "an envelope's data came twice on /stream",
  );
});
