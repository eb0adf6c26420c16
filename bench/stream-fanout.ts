// bench/stream-fanout: `GET /stream` fan-out (SPEC §9): one ingest client posting envelopes one
// after another on one keep-alive connection, eight server-sent-event readers of `GET /stream`,
// against the Spotlight sidecar (@spotlightjs/spotlight 4.11.8 with hono 4.12.25, installed in
// its own directory, never in this project). Rounds alternate between the servers. A round counts only when every reader
// got every envelope of the round, in order, each parsed as Spotlight's
// `[header, [[item header, payload], …]]` with the item it was sent with; the figure is
// envelopes per second from the first POST until the last reader has the last envelope, and
// (Linux) the server's own CPU per envelope in the round.
// Target: ≥ 10× Spotlight's throughput, and the ingest client's p99 latency < 5 ms meanwhile
// (issue #20: each POST's time to its answer in the timed rounds; p50 and p99 are printed).
// With BENCH_CEILING=1 the ceiling server (./ceiling-server.ts) runs in the same rounds: the
// most this machine lets the bench show.
// Each reader is a process of its own; with BENCH_READERS_IN_ONE=1 they share one process, as
// the ingest bench's clients do: on two cores, eight reader processes leave the server little
// room, so that layout shows more of the servers' own cost.
// Usage: bun bench/stream-fanout.ts [ENVELOPES_PER_ROUND] [ROUNDS] [READERS]
// Env: SENTRYCTL_BIN (default dist/sentryctl), SENTRYCTL_BASELINE_BIN (a second build, measured
// interleaved with the first), SPOTLIGHT_DIR (default $TMPDIR/sentryctl-bench-spotlight),
// BENCH_CEILING=1 (also the ceiling server), BENCH_READERS_IN_ONE=1, BENCH_CLIENT=fetch (post with
// fetch, not ./http-poster.ts), BENCH_WARMUP_ROUNDS (untimed
// rounds per server first; default 1), BENCH_THREADS=1 (each server's CPU per envelope by kind of
// thread).

import { type ChildProcess, spawn } from "node:child_process";
import { SseParser } from "../src/status/sse-reader.ts";
import { HttpPoster } from "./http-poster.ts";
import {
  cpuMicrosPer,
  cpuSecondsOf,
  FreshIds,
  ID_SLOT,
  own,
  printCeilingShare,
  quantile,
  startStatusTargets,
  type StatusTarget,
  stopChildren,
  threadCpuSecondsOf,
  ThreadTally,
  waitForLine,
} from "./lib.ts";

const perRound = Number(process.argv[2] ?? 1000);
const rounds = Number(process.argv[3] ?? 3);
const readers = Number(process.argv[4] ?? 8);
const readersInOne = process.env.BENCH_READERS_IN_ONE === "1";
const THREADS = process.env.BENCH_THREADS === "1";
// Untimed rounds per server first. One warms the code paths, but a server's JIT goes on
// compiling for tens of thousands of envelopes more (sentryctl's compiler threads, read per
// thread from /proc, still took 17–25 µs per envelope after 20,000 fan-out envelopes, and none
// after 40,000 of ingest): BENCH_WARMUP_ROUNDS=10 or more comes near the steady state a
// long-running server is in.
// The ingest client: one keep-alive connection of its own (./http-poster.ts), or with
// BENCH_CLIENT=fetch the runtime's fetch, which costs this process several times the CPU per POST
// (what bounded the ceiling's rate before).
const fetchClient = process.env.BENCH_CLIENT === "fetch";
const ENVELOPE_TYPE = { "content-type": "application/x-sentry-envelope" };
const warmupRounds = Math.max(1, Number(process.env.BENCH_WARMUP_ROUNDS ?? 1));
const ROUND_TIMEOUT_MS = 120_000;

// Three shapes, as a Node SDK sends them; the header's `bench` field marks round and sequence.
// Every POST carries a fresh event id (a log batch a fresh trace id), as an SDK's envelopes do
// (the inbox keeps one envelope per event id): the payloads are templates made once, the id
// joined into their slots per POST.
const KINDS = ["event", "transaction", "log"] as const;
function templates(): string[][] {
  const now = Date.now() / 1000;
  const id = ID_SLOT;
  return KINDS.map((kind) => {
    let payload: unknown;
    if (kind === "event") {
      payload = {
        event_id: id,
        level: "error",
        timestamp: now,
        exception: {
          values: [{
            type: "Error",
            value: "boom",
            stacktrace: {
              frames: Array.from({ length: 8 }, (_, i) => ({
                filename: `/app/src/m${i}.js`,
                function: `f${i}`,
                lineno: 10 + i,
                context_line: `  throw new Error("boom");`,
                in_app: i > 3,
              })),
            },
          }],
        },
      };
    } else if (kind === "transaction") {
      payload = {
        event_id: id,
        type: "transaction",
        transaction: "GET /users",
        start_timestamp: now - 0.1,
        timestamp: now,
        contexts: { trace: { trace_id: id, span_id: "a1b2c3d4e5f60718", op: "http.server" } },
        spans: Array.from({ length: 10 }, (_, i) => ({
          span_id: (0xb000000000000000n + BigInt(i)).toString(16),
          trace_id: id,
          op: "db.query",
          description: `SELECT ${i}`,
          start_timestamp: now - 0.1,
          timestamp: now,
        })),
      };
    } else {
      payload = {
        items: Array.from({ length: 5 }, (_, i) => ({
          timestamp: now,
          level: "info",
          body: `line ${i}\nwith a newline`,
          trace_id: id,
        })),
      };
    }
    return FreshIds.split(`${JSON.stringify({ type: kind })}\n${JSON.stringify(payload)}\n`);
  });
}

function envelope(shapes: string[][], ids: FreshIds, marker: string, seq: number): string {
  const kind = seq % 3;
  const id = ids.next();
  // Events and transactions name their id in the header too; a log batch has none.
  const header = kind === 2
    ? `{"bench":"${marker}:${seq}"}`
    : `{"event_id":"${id}","bench":"${marker}:${seq}"}`;
  return `${header}\n${shapes[kind]!.join(id)}`;
}

interface Reader {
  got: number;
  error?: string;
  close(): void;
}

/** An SSE reader that checks each envelope of `marker` arrives in order, with its item. */
function openReader(url: string, marker: string, onProgress: () => void): Promise<Reader> {
  const ac = new AbortController();
  const reader: Reader = { got: 0, close: () => ac.abort() };
  return new Promise((res, reject) => {
    fetch(url, { signal: ac.signal, headers: { accept: "text/event-stream" } }).then(async (r) => {
      if (!r.ok || !r.body) throw new Error(`${url}: ${r.status}`);
      res(reader);
      const parser = new SseParser();
      const dec = new TextDecoder();
      const it = r.body.getReader();
      for (;;) {
        const { done, value } = await it.read();
        if (done) break;
        for (const ev of parser.push(dec.decode(value, { stream: true }))) {
          if (!ev.event.startsWith("application/x-sentry-envelope")) continue;
          const [header, items] = JSON.parse(ev.data) as [
            { bench?: string },
            [{ type: string }, { type?: string }][],
          ];
          const [m, seq] = String(header.bench ?? "").split(":");
          if (m !== marker) continue; // replayed from an earlier round
          const want = KINDS[Number(seq) % 3];
          if (Number(seq) !== reader.got) {
            reader.error ??= `expected envelope ${reader.got}, got ${seq}`;
          } else if (
            items.length !== 1 || items[0]![0].type !== want || items[0]![1].type !== want
          ) {
            reader.error ??= `envelope ${seq}: item is not a ${want}`;
          }
          reader.got++;
          onProgress();
        }
      }
    }).catch((e) => {
      if (!ac.signal.aborted) reject(e);
    });
  });
}

/** Child mode: `--readers URL MARKER N PER_ROUND`: N readers; prints `ready`, then the result. */
async function readersChild(url: string, marker: string, n: number, per: number): Promise<void> {
  let finished = false;
  const rs: Reader[] = [];
  const check = () => {
    if (finished || rs.length < n || !rs.every((r) => r.got >= per)) return;
    finished = true;
    for (const r of rs) r.close();
    const bad = rs.find((r) => r.error || r.got !== per);
    console.log(
      `done ${JSON.stringify({ error: bad ? bad.error ?? `${bad.got} of ${per}` : null })}`,
    );
    process.exit(0);
  };
  rs.push(...await Promise.all(Array.from({ length: n }, () => openReader(url, marker, check))));
  console.log("ready");
}

interface RoundResult {
  rate: number;
  /** Each POST's time to its answer, ms: the ingest client's latency under the fan-out. */
  latencies: number[];
  /** The server's CPU per envelope in the round (Linux), readers' deliveries included. */
  cpuMicros: number | undefined;
}

/** One round against `target`; a timed one adds its thread readings to `threads`. */
async function round(
  target: StatusTarget,
  marker: string,
  threads?: ThreadTally,
): Promise<RoundResult> {
  const { base } = target;
  // Each reader is a process of its own, as separate clients (browser tabs, terminals) are;
  // or all in one (BENCH_READERS_IN_ONE=1).
  const [processes, each] = readersInOne ? [1, readers] : [readers, 1];
  const procs: ChildProcess[] = Array.from({ length: processes }, () =>
    own(spawn(
      process.execPath,
      [process.argv[1]!, "--readers", `${base}/stream`, marker, String(each), String(perRound)],
      { stdio: ["ignore", "pipe", "inherit"] },
    )));
  await Promise.all(procs.map((c) => waitForLine(c, /^ready$/m)));
  // Let the readers take in any replay of earlier rounds before the clock starts.
  await new Promise((r) => setTimeout(r, 300));
  const results = Promise.all(
    procs.map((c) =>
      waitForLine(c, /^done (.*)$/m, ROUND_TIMEOUT_MS).catch(() => {
        throw new Error(
          `${base}: not every reader got all ${perRound} envelopes within the timeout`,
        );
      })
    ),
  );
  const shapes = templates();
  const ids = new FreshIds();
  const threads0 = THREADS && threads ? threadCpuSecondsOf(target.pid) : undefined;
  const cpu0 = cpuSecondsOf(target.pid);
  const latencies: number[] = [];
  const t0 = performance.now();
  const poster = fetchClient ? undefined : new HttpPoster(base);
  for (let seq = 0; seq < perRound; seq++) {
    const sent = performance.now();
    const body = envelope(shapes, ids, marker, seq);
    let status: number;
    if (poster) status = (await poster.post("/stream", body, ENVELOPE_TYPE)).status;
    else {
      const res = await fetch(`${base}/stream`, { method: "POST", body, headers: ENVELOPE_TYPE });
      await res.arrayBuffer();
      status = res.status;
    }
    latencies.push(performance.now() - sent);
    if (status < 200 || status > 299) throw new Error(`POST ${status}`);
  }
  poster?.close();
  const outcomes = (await results).map((r) => JSON.parse(r) as { error: string | null });
  const elapsed = (performance.now() - t0) / 1000;
  const cpuMicros = cpuMicrosPer(cpu0, cpuSecondsOf(target.pid), perRound);
  if (threads0) threads?.add(threads0, threadCpuSecondsOf(target.pid), perRound);
  const failed = outcomes.find((o) => o.error);
  if (failed) throw new Error(`${base}: incomplete: ${failed.error}`);
  return { rate: perRound / elapsed, latencies, cpuMicros };
}

async function main(): Promise<void> {
  const { targets: servers, spotlight } = await startStatusTargets("fanout", 18970);
  const targets = servers.map((t) => ({
    ...t,
    rates: [] as number[],
    cpu: [] as number[],
    latencies: [] as number[],
    threads: new ThreadTally(),
  }));
  for (let w = 0; w < warmupRounds; w++) {
    for (const t of targets) await round(t, `warmup${w}-${t.name}`);
  }
  for (let r = 0; r < rounds; r++) {
    for (const t of targets) {
      const { rate, latencies, cpuMicros } = await round(t, `r${r}`, t.threads);
      t.rates.push(rate);
      for (const l of latencies) t.latencies.push(l);
      if (cpuMicros !== undefined) t.cpu.push(cpuMicros);
    }
  }
  // Every round of both servers was complete (round() throws otherwise): now the figures.
  console.log(
    `stream fan-out: ${rounds} rounds per server, ${perRound} envelopes per round ` +
      `(error/transaction/log), 1 ingest client, ${readers} SSE readers ` +
      `(${readersInOne ? "in one process" : "a process each"}), ${
        fetchClient ? "fetch" : "a keep-alive socket"
      } posting, ${warmupRounds} warm-up ` +
      `round(s) each; all complete, in order`,
  );
  console.log(
    "server               envelopes/s (median)   server CPU µs/envelope   " +
      "ingest p50 / p99 ms   rounds",
  );
  const medianOf = (xs: number[]) => quantile([...xs].sort((a, b) => a - b), 0.5);
  const medians = targets.map((t) => {
    const median = medianOf(t.rates);
    const cpu = t.cpu.length > 0 ? medianOf(t.cpu).toFixed(0) : "-";
    const lat = [...t.latencies].sort((a, b) => a - b);
    const latency = `${quantile(lat, 0.5).toFixed(2)} / ${quantile(lat, 0.99).toFixed(2)}`;
    console.log(
      `${t.name.padEnd(20)} ${median.toFixed(0).padStart(20)}   ${cpu.padStart(22)}   ${
        latency.padStart(19)
      }   ${t.rates.map((x) => x.toFixed(0)).join(", ")}`,
    );
    return median;
  });
  if (THREADS) {
    console.log("server CPU µs/envelope by thread (the first is the server's own JavaScript):");
    for (const t of targets) console.log(`  ${t.name}: ${t.threads.line()}`);
  }
  const spot = medians[servers.indexOf(spotlight)]!;
  for (const [i, t] of targets.entries()) {
    if (t.name === spotlight.name) continue;
    console.log(`throughput ratio ${t.name} / Spotlight: ${(medians[i]! / spot).toFixed(1)}×`);
  }
  printCeilingShare(targets.map((t, i) => ({ name: t.name, rate: medians[i]! })));
  stopChildren();
}

const entry = process.argv[2] === "--readers"
  ? readersChild(
    process.argv[3]!,
    process.argv[4]!,
    Number(process.argv[5]),
    Number(process.argv[6]),
  )
  : main();
entry.catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  stopChildren();
  process.exit(1);
});
