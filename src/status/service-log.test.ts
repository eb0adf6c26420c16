// The status server's log follow against a small engine that keeps Docker's rules for the logs
// API (`since` inclusive, `tail` in entries, a follow ends when the container stops, a line
// longer than 16 KiB stored as several entries): nothing lost or repeated when the connection
// drops between entries that share one stamp, a bounded backlog that says so, restarts marked
// only when the container started again, long lines and TTY lines whole.

import assert from "node:assert/strict";
import { PassThrough, type Readable } from "node:stream";
import { test } from "node:test";
import type { LogsOptions } from "../docker/engine.ts";
import type { ContainerInspect } from "../docker/types.ts";
import { compareTimestamps, timestampToSince } from "../docker/demux.ts";
import type { LogLine } from "./deps.ts";
import { LogCursor } from "./log-entries.ts";
import { serviceLog, type ServiceLogDeps } from "./service-log.ts";

interface Entry {
  stream: "stdout" | "stderr";
  stamp: string;
  text: string;
}

/** Stamps with nanoseconds; `i` entries per nanosecond share one. */
const stampOf = (ns: number) => `2026-01-02T03:04:05.${String(100_000_000 + ns).slice(0, 9)}Z`;

class LogEngine {
  entries: Entry[] = [];
  running = true;
  startedAt = "2026-01-02T03:04:00Z";
  tty = false;
  id = "c1";
  /** A follow ends after this many entries, as if the connection dropped. */
  dropEvery = Infinity;
  #followers = new Set<() => void>();
  opened: LogsOptions[] = [];

  add(text: string, opts: { stream?: "stdout" | "stderr"; stamp?: string } = {}): void {
    const ns = this.entries.length;
    this.entries.push({ stream: opts.stream ?? "stdout", stamp: opts.stamp ?? stampOf(ns), text });
    for (const f of this.#followers) f();
  }

  stop(): void {
    this.running = false;
    for (const f of this.#followers) f();
  }

  deps(): ServiceLogDeps {
    return {
      logs: (id, opts) => this.logs(id, opts),
      inspectContainer: (id) => Promise.resolve(id === "svc" ? this.inspect() : undefined),
      container: () => "svc",
      changed: (signal, ms) =>
        new Promise((r) => {
          if (signal.aborted) return r(false);
          setTimeout(() => r(!signal.aborted), Math.min(ms, 5));
        }),
    };
  }

  inspect(): ContainerInspect {
    return {
      Id: this.id,
      Config: { Tty: this.tty },
      State: { Running: this.running, StartedAt: this.startedAt },
    } as unknown as ContainerInspect;
  }

  frame(e: Entry): Buffer {
    const payload = Buffer.from(`${e.stamp} ${e.text}`);
    if (this.tty) return payload;
    const header = Buffer.alloc(8);
    header[0] = e.stream === "stderr" ? 2 : 1;
    header.writeUInt32BE(payload.length, 4);
    return Buffer.concat([header, payload]);
  }

  logs(_id: string, opts: LogsOptions): Promise<Readable> {
    this.opened.push(opts);
    const out = new PassThrough();
    const since = opts.since === undefined ? undefined : String(opts.since);
    let list = this.entries.filter((e) =>
      since === undefined || compareTimestamps(e.stamp, sinceStamp(since)) >= 0
    );
    if (typeof opts.tail === "number") list = list.slice(Math.max(0, list.length - opts.tail));
    let sent = 0;
    let next = this.entries.indexOf(list[0]!);
    if (next < 0) next = this.entries.length;
    const pump = () => {
      while (next < this.entries.length) {
        if (sent >= this.dropEvery) return finish();
        out.write(this.frame(this.entries[next++]!));
        sent++;
      }
      if (!opts.follow || !this.running) finish();
    };
    const finish = () => {
      this.#followers.delete(pump);
      out.end();
    };
    this.#followers.add(pump);
    opts.signal?.addEventListener("abort", finish, { once: true });
    queueMicrotask(pump);
    return Promise.resolve(out);
  }
}

/** `<sec>.<nanos>` back to a stamp, for the fake's comparisons. */
function sinceStamp(since: string): string {
  const [sec, ns] = since.split(".");
  const base = new Date(Number(sec) * 1000).toISOString().slice(0, 19);
  return `${base}.${(ns ?? "0").padEnd(9, "0")}Z`;
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
  for await (const l of serviceLog(engine.deps(), "svc", controller.signal, tail)) {
    got.push(l);
    during?.(got);
    if (enough(got)) break;
  }
  clearTimeout(timer);
  controller.abort();
  return got;
}

const texts = (got: LogLine[]) => got.map((l) => (l.kind === "line" ? l.text : `<${l.kind}>`));

test("the cursor resumes at the exact entry: entries sharing a stamp are neither lost nor repeated", () => {
  const c = new LogCursor();
  for (const s of [stampOf(1), stampOf(2), stampOf(2), stampOf(2)]) assert.ok(c.take(s));
  assert.equal(c.since(), timestampToSince(stampOf(2)));
  c.resume();
  // Docker resends every entry at or after `since`: the three at stampOf(2) were taken.
  assert.deepEqual(
    [stampOf(2), stampOf(2), stampOf(2), stampOf(2), stampOf(3)].map((s) => c.take(s)),
    [false, false, false, true, true],
  );
});

test("a follow whose connection drops every 778 entries, 3 entries per stamp: every line once, in order, no restart mark", async () => {
  const engine = new LogEngine();
  engine.dropEvery = 778; // not a multiple of 3: drops fall inside groups sharing a stamp
  const n = 6000;
  for (let i = 0; i < n; i++) engine.add(`${i + 1}\n`, { stamp: stampOf(Math.floor(i / 3)) });
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
  const deps = engine.deps();
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
