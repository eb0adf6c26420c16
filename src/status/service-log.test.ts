// The status server's log follow against a small engine that keeps Docker's rules for the logs
// API (`since` inclusive, `tail` in entries, a follow ends when the container stops, a line
// longer than 16 KiB stored as several entries): nothing lost or repeated when the connection
// drops between entries that share one stamp, a bounded backlog that says so, restarts marked
// only when the container started again, long lines and TTY lines whole.

import assert from "node:assert/strict";
import { test } from "node:test";
import { LogEngine } from "../../tests/helpers/log-engine.ts";
import type { LogLine } from "./deps.ts";
import { serviceLog, type ServiceLogDeps } from "./service-log.ts";

/** The status server's view of the engine: one service, "svc". */
function serviceDeps(engine: LogEngine): ServiceLogDeps {
  return {
    logs: (id, opts) => engine.logs(id, opts),
    inspectContainer: (id) => Promise.resolve(id === "svc" ? engine.inspect() : undefined),
    container: () => "svc",
    changed: (signal, ms) =>
      new Promise((r) => {
        if (signal.aborted) return r(false);
        setTimeout(() => r(!signal.aborted), Math.min(ms, 5));
      }),
  };
}

async function collect(
  engine: LogEngine,
  enough: (got: LogLine[]) => boolean,
  tail?: number | "all",
  during?: (got: LogLine[]) => void,
): Promise<LogLine[]> {
  const controller = new AbortController();
  const got: LogLine[] = [];
  const timer = setTimeout(() => controller.abort(), 5000);
  for await (const l of serviceLog(serviceDeps(engine), "svc", controller.signal, tail)) {
    got.push(l);
    during?.(got);
    if (enough(got)) break;
  }
  clearTimeout(timer);
  controller.abort();
  return got;
}

const texts = (got: LogLine[]) => got.map((l) => (l.kind === "line" ? l.text : `<${l.kind}>`));

test("a follow whose connection drops every 778 entries, 3 entries per stamp: every line once, in order, no restart mark", async () => {
  const engine = new LogEngine();
  engine.dropEvery = 778; // not a multiple of 3: drops fall inside groups sharing a stamp
  const n = 6000;
  engine.addNumbered(n, 3);
  const got = await collect(engine, (g) => g.length >= n, "all");
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(texts(got), Array.from({ length: n }, (_, i) => String(i + 1)));
  assert.ok(engine.opened.length >= 8, `${engine.opened.length} reads`);
});

test("lines logged while following arrive after the backlog, none twice", async () => {
  const engine = new LogEngine();
  for (let i = 1; i <= 5; i++) engine.add(`${i}\n`);
  let added = false;
  const got = await collect(engine, (g) => g.length >= 10, "all", (g) => {
    if (g.length === 5 && !added) {
      added = true;
      for (let i = 6; i <= 10; i++) engine.add(`${i}\n`);
    }
  });
  assert.deepEqual(texts(got), ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"]);
});

test("the backlog is bounded and says so; ?tail=all and a short log say nothing", async () => {
  const engine = new LogEngine();
  for (let i = 1; i <= 50; i++) engine.add(`${i}\n`);
  const ten = await collect(engine, (g) => g.length >= 11, 10);
  assert.equal(ten[0]!.kind, "notice");
  assert.match((ten[0] as { text: string }).text, /only the last 10 lines/);
  assert.deepEqual(texts(ten.slice(1)), Array.from({ length: 10 }, (_, i) => String(41 + i)));
  const all = await collect(engine, (g) => g.length >= 50, "all");
  assert.deepEqual(texts(all), Array.from({ length: 50 }, (_, i) => String(i + 1)));
  const short = await collect(engine, (g) => g.length >= 50, 50);
  assert.deepEqual(texts(short), Array.from({ length: 50 }, (_, i) => String(i + 1)));
});

test("a restart is marked once, between the runs; the backlog is not read again", async () => {
  const engine = new LogEngine();
  engine.add("a1\n");
  engine.add("a2\n");
  let stopped = false;
  const got = await collect(engine, (g) => g.length >= 5, "all", (g) => {
    if (g.length === 2 && !stopped) {
      stopped = true;
      engine.stop();
      setTimeout(() => {
        engine.startedAt = "2026-01-02T03:05:00Z";
        engine.running = true;
        engine.add("b1\n");
        engine.add("b2\n");
      }, 30);
    }
  });
  assert.deepEqual(texts(got), ["a1", "a2", "<restart>", "b1", "b2"]);
});

test("a line stored as several entries is one line; stderr apart; a TTY's CR LF ends a line", async () => {
  const engine = new LogEngine();
  engine.add("x".repeat(16384));
  engine.add("err line\n", { stream: "stderr" });
  engine.add("y".repeat(100) + "\n");
  const got = await collect(engine, (g) => g.length >= 2, "all");
  assert.deepEqual(got, [
    { kind: "line", stream: "stderr", text: "err line" },
    { kind: "line", stream: "stdout", text: "x".repeat(16384) + "y".repeat(100) },
  ]);
  const tty = new LogEngine();
  tty.tty = true;
  tty.add("line 1\r\n");
  tty.add("café\r\n");
  const t = await collect(tty, (g) => g.length >= 2, "all");
  assert.deepEqual(texts(t), ["line 1", "café"]);
});

test("a log Docker cannot read back: its reason once, as a notice, not silence", async () => {
  const engine = new LogEngine();
  const deps = serviceDeps(engine);
  let asked = 0;
  deps.logs = () => {
    asked++;
    return Promise.reject(
      new Error("configured logging driver does not support reading"),
    );
  };
  const controller = new AbortController();
  const got: LogLine[] = [];
  setTimeout(() => controller.abort(), 300);
  for await (const l of serviceLog(deps, "svc", controller.signal, "all")) got.push(l);
  assert.deepEqual(got, [{
    kind: "notice",
    text: "cannot read the log: configured logging driver does not support reading",
  }]);
  assert.ok(asked >= 1);
});
