// The log route over the app, with a source that yields as fast as it can: a reader slower than
// the service is paced (the log waits), not cut off when the channel's queue limit is reached,
// so every line arrives once and in order; `?tail=` is passed on or refused with a reason.

import assert from "node:assert/strict";
import { test } from "node:test";
import { createStatusApp } from "../app.ts";
import type { LogLine } from "../deps.ts";
import { fakeDeps } from "../../../tests/helpers/fake-status.ts";

const TOKEN = "t0ken-t0ken-t0ken-t0ken";
const req = (path: string, signal?: AbortSignal) =>
  new Request(`http://127.0.0.1:8990${path}`, {
    headers: { authorization: `Bearer ${TOKEN}`, host: "127.0.0.1:8990" },
    signal,
  });

test("a slow reader of a 400k-line log (11 MiB framed, over the 8 MiB queue limit) gets every line, in order", async () => {
  const deps = fakeDeps();
  const n = 400_000;
  let asked: number | "all" | undefined;
  deps.services.logs = async function* (
    _name: string,
    signal: AbortSignal,
    tail?: number | "all",
  ): AsyncIterable<LogLine> {
    asked = tail;
    for (let i = 1; i <= n && !signal.aborted; i++) {
      yield { kind: "line", stream: "stdout", text: String(i) };
    }
    yield { kind: "end", reason: "done" };
  };
  const { fetch } = createStatusApp(deps);
  const res = await fetch(req("/api/0/devservices/redis/logs/?tail=all"));
  assert.equal(res.status, 200);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let reads = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    // A reader on a slow link: the first reads take their time.
    if (++reads < 40) await new Promise((r) => setTimeout(r, 20));
  }
  assert.equal(asked, "all");
  const lines = text.match(/^data: .*$/gm)!.map((l) => l.slice(6));
  assert.equal(lines.length, n + 1, "every line and the end event");
  for (let i = 0; i < n; i++) {
    if (lines[i] !== String(i + 1)) assert.fail(`line ${i + 1} is ${lines[i]}`);
  }
  assert.equal(lines[n], "done");
});

test("?tail= takes a number or all; anything else is a 400 with a reason", async () => {
  const deps = fakeDeps();
  const seen: (number | "all" | undefined)[] = [];
  deps.services.logs = async function* (
    _name: string,
    _signal: AbortSignal,
    tail?: number | "all",
  ): AsyncIterable<LogLine> {
    seen.push(tail);
    yield { kind: "end", reason: "done" };
  };
  const { fetch } = createStatusApp(deps);
  for (const q of ["", "?tail=0", "?tail=25", "?tail=all"]) {
    const res = await fetch(req(`/api/0/devservices/redis/logs/${q}`));
    assert.equal(res.status, 200);
    await res.text();
  }
  assert.deepEqual(seen, [undefined, 0, 25, "all"]);
  for (const q of ["?tail=-1", "?tail=1.5", "?tail=abc", "?tail=9999999999"]) {
    const res = await fetch(req(`/api/0/devservices/redis/logs/${q}`));
    assert.equal(res.status, 400, q);
    assert.deepEqual(await res.json(), { detail: 'tail must be a number of lines or "all"' });
  }
});
