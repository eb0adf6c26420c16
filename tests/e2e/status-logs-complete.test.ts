// End-to-end: the status server's log stream (`GET /api/0/devservices/NAME/logs/`, SSE) loses,
// repeats and reorders nothing (issue 19). A service prints 200k lines as fast as it can; the
// stream, opened before the service starts or after it printed everything (`?tail=all`), must
// carry exactly `1..200000`, in order, each line whole. The default backlog is bounded and says
// so. Lines longer than Docker's 16 KiB log buffer, a bare CR and a TTY container come through
// whole too. Every check compares the whole output, line by line, never a pattern.
// SENTRYCTL_E2E_BURST_RUNS (default 1; CI runs 3) repeats each burst read.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { testEnv } from "../helpers/cli.ts";
import { cleanupProject, docker, runLabelled } from "../helpers/docker.ts";
import { RunningCli } from "../helpers/process.ts";

const PROJECT = `sctl-harden-logs-${Math.random().toString(36).slice(2, 8)}`;
const IMAGE = "sentryctl-test/busybox:latest";
const LINES = 200_000;
const RUNS = Number(process.env.SENTRYCTL_E2E_BURST_RUNS ?? 1);

const SETTINGS = `
SENTRY_DEVSERVICES:
  burst:
    image: ${IMAGE}
    command: ["sh", "-c", "trap 'exit 0' TERM; seq 1 ${LINES}; sleep 1000 & wait"]
`;

let serve: RunningCli;
let base = "";
let token = "";

interface SseEvent {
  event: string;
  data: string;
}

/**
 * Reads a service's log stream until `enough(events)` holds (then a little longer, so a repeat
 * would show), or the deadline passes. Parses SSE as EventSource does: `\n\n` ends an event.
 */
async function readStream(
  path: string,
  enough: (events: SseEvent[]) => boolean,
  during?: () => Promise<void>,
  timeoutMs = 90_000,
): Promise<{ events: SseEvent[]; ms: number }> {
  const controller = new AbortController();
  const started = Date.now();
  const res = await fetch(`${base}${path}`, {
    headers: { authorization: `Bearer ${token}` },
    signal: controller.signal,
  });
  assert.equal(res.status, 200);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const events: SseEvent[] = [];
  let buffer = "";
  let settledAt = 0;
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const pending = during?.();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let start = 0;
      for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n", start)) {
        const block = buffer.slice(start, end);
        start = end + 2;
        let event = "message";
        const data: string[] = [];
        for (const line of block.split("\n")) {
          if (line.startsWith(":")) continue;
          if (line.startsWith("event: ")) event = line.slice(7);
          else if (line.startsWith("data: ")) data.push(line.slice(6));
        }
        if (data.length > 0) events.push({ event, data: data.join("\n") });
      }
      buffer = buffer.slice(start);
      if (!settledAt && enough(events)) {
        settledAt = Date.now();
        setTimeout(() => controller.abort(), 700); // anything more would be a repeat
      }
    }
  } catch (e) {
    if (!controller.signal.aborted) throw e;
  } finally {
    clearTimeout(timer);
    controller.abort();
    await reader.cancel().catch(() => {});
  }
  await pending;
  return { events, ms: settledAt ? settledAt - started : -1 };
}

const stdoutLines = (events: SseEvent[]) =>
  events.filter((e) => e.event === "stdout").map((e) => e.data);

/** Why `lines` is not exactly `from..from+count-1` (undefined when it is). */
function notSequence(lines: string[], count: number, from = 1): string | undefined {
  for (let i = 0; i < Math.min(lines.length, count); i++) {
    if (lines[i] !== String(from + i)) {
      return `line ${i + 1} is ${JSON.stringify(lines[i]?.slice(0, 40))}, not ${from + i} ` +
        `(${lines.length} lines)`;
    }
  }
  return lines.length === count ? undefined : `${lines.length} lines, not ${count}`;
}

async function eventually(what: string, fn: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A container of this project by label, as `up` would label it. */
function ours(service: string, flags: string[], script: string): string {
  return runLabelled(PROJECT, service, { image: IMAGE, command: ["sh", "-c", script], flags });
}

const logged = (name: string, needle: string) => () =>
  Promise.resolve(docker(["logs", "--tail", "3", name]).stdout.includes(needle));

describe("the status server's log stream is complete", { timeout: 600_000 }, () => {
  before(async () => {
    cleanupProject(PROJECT);
    const conf = mkdtempSync(join(tmpdir(), "sentryctl-harden-logs-"));
    writeFileSync(join(conf, "sentry.conf.yml"), SETTINGS);
    serve = new RunningCli(
      ["--config", conf, "serve", "--bind", "127.0.0.1:0", "--project", PROJECT],
      testEnv(),
    );
    await serve.waitFor(/Token file: .+\n/, 30_000);
    base = /Status server on (http:\/\/[^/]+)\//.exec(serve.stdout)![1]!;
    token = readFileSync(join(conf, "status-token"), "utf8").trim();
  });
  after(async () => {
    await RunningCli.killAll();
    cleanupProject(PROJECT);
  });

  test(`opened before the service starts: a ${LINES}-line burst, every line in order`, async () => {
    const done = (events: SseEvent[]) => stdoutLines(events).length >= LINES;
    const state = async () => {
      const res = await fetch(`${base}/api/0/devservices/burst/`, {
        headers: { authorization: `Bearer ${token}` },
      });
      return ((await res.json()) as { state?: string }).state;
    };
    for (let run = 1; run <= RUNS; run++) {
      if (run > 1) {
        // A fresh container for each run; the server must have seen it go before the next.
        const rm = docker(["rm", "-f", `${PROJECT}_burst`]);
        assert.equal(rm.code, 0, rm.stderr);
        await eventually("the burst container gone", async () => (await state()) === "missing");
      }
      const { events, ms } = await readStream("/api/0/devservices/burst/logs/", done, async () => {
        await new Promise((r) => setTimeout(r, 300));
        const res = await fetch(`${base}/api/0/devservices/burst/`, {
          method: "PUT",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify({ state: "running" }),
        });
        assert.equal(res.status, 200, await res.text());
      });
      assert.equal(notSequence(stdoutLines(events), LINES), undefined, `run ${run}`);
      console.log(`status log stream, run ${run}: ${LINES} lines in ${ms} ms (from PUT running)`);
    }
  });

  test(`opened after the burst with ?tail=all: all ${LINES} lines; by default the last 1000, and it says so`, async () => {
    const name = `${PROJECT}_burst`;
    await eventually("the burst logged", logged(name, String(LINES)));
    for (let run = 1; run <= RUNS; run++) {
      const all = await readStream(
        "/api/0/devservices/burst/logs/?tail=all",
        (events) => stdoutLines(events).length >= LINES,
      );
      assert.equal(notSequence(stdoutLines(all.events), LINES), undefined, `run ${run}`);
      assert.equal(all.events.filter((e) => e.event === "notice").length, 0);
      console.log(`status log stream ?tail=all, run ${run}: ${LINES} lines in ${all.ms} ms`);
    }

    const recent = await readStream(
      "/api/0/devservices/burst/logs/",
      (events) => stdoutLines(events).length >= 1000,
      undefined,
      20_000,
    );
    assert.equal(notSequence(stdoutLines(recent.events), 1000, LINES - 999), undefined);
    assert.equal(recent.events[0]?.event, "notice", "the first event says lines were left out");
    assert.match(recent.events[0]!.data, /last 1000 lines/);
  });

  test("a restart during the stream: each run whole, marked once, nothing twice", async () => {
    const n = 20_000;
    const name = ours("again", [], `trap 'exit 0' TERM; seq 1 ${n}; sleep 1000 & wait`);
    await eventually("again logged", logged(name, String(n)));
    const twice = (events: SseEvent[]) => stdoutLines(events).length >= 2 * n;
    const { events } = await readStream(
      "/api/0/devservices/again/logs/?tail=all",
      twice,
      async () => {
        await new Promise((r) => setTimeout(r, 500));
        assert.equal(docker(["restart", "-t", "1", name]).code, 0);
      },
    );
    const restarts = events.findIndex((e) => e.event === "restart");
    assert.ok(restarts > 0, "a restart event");
    assert.equal(notSequence(stdoutLines(events.slice(0, restarts)), n), undefined, "run 1");
    assert.equal(notSequence(stdoutLines(events.slice(restarts)), n), undefined, "run 2");
    assert.equal(events.filter((e) => e.event === "restart").length, 1);
  });

  test("a line longer than Docker's 16 KiB buffer, a bare CR, UTF-8 and a TTY: whole", async () => {
    const long = "x".repeat(40_000);
    const script =
      `printf 'a\\rb\\n'; printf '%s\\n' '${long}'; printf 'caf\\303\\251 \\342\\202\\254\\n'; ` +
      `echo err >&2; echo done; sleep 1000`;
    const name = ours("odd", [], script);
    await eventually("odd logged", logged(name, "done"));
    const { events } = await readStream(
      "/api/0/devservices/odd/logs/?tail=all",
      (events) => stdoutLines(events).includes("done"),
      undefined,
      20_000,
    );
    // SSE splits data on a bare CR: `a\rb` arrives as two data lines joined by "\n". The
    // order between stdout and stderr is Docker's (two pipes), so each stream is checked apart.
    const short = (l: string) => (l.length > 60 ? `${l.slice(0, 20)}…(${l.length} chars)` : l);
    assert.deepEqual(stdoutLines(events).map(short), ["a\nb", short(long), "café €", "done"]);
    assert.ok(stdoutLines(events)[1] === long, "the long line is exactly what was printed");
    assert.deepEqual(events.filter((e) => e.event === "stderr").map((e) => e.data), ["err"]);
    const tty = ours("oddtty", ["-t"], `for i in 1 2 3 4 5; do echo line $i; done; sleep 1000`);
    await eventually("tty logged", logged(tty, "line 5"));
    const t = await readStream(
      "/api/0/devservices/oddtty/logs/?tail=all",
      (events) => stdoutLines(events).length >= 5,
      undefined,
      20_000,
    );
    // A terminal ends lines with CR LF; the CR is the terminal's, not the program's: dropped.
    assert.deepEqual(stdoutLines(t.events), [1, 2, 3, 4, 5].map((i) => `line ${i}`));
  });

  test("a log Docker cannot read back (--log-driver none): its reason, not silence", async () => {
    ours("nolog", ["--log-driver", "none"], "echo hidden; sleep 1000");
    const { events } = await readStream(
      "/api/0/devservices/nolog/logs/",
      (events) => events.some((e) => e.event === "notice"),
      undefined,
      20_000,
    );
    assert.deepEqual(events.map((e) => e.event), ["notice"]);
    assert.match(events[0]!.data, /^cannot read the log: .*does not support reading/);
  });
});
