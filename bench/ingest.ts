// bench/ingest: envelopes per second and latency of sentryctl's status-server ingest versus
// the Spotlight sidecar (@spotlightjs/spotlight 4.11.8 with hono 4.12.x, installed in its own
// directory, never in this project's dependencies), on the same machine, with the same
// payloads and the same load generator, in one run. SPEC §9 target: ≥ 10× throughput, p99 < 5 ms.
// Also (Linux) each server's own CPU per envelope over the timed rounds.
// Usage: bun bench/ingest.ts [SECONDS_PER_ROUND] [CONCURRENCY] [ROUNDS]
// Env: SENTRYCTL_BIN (default dist/sentryctl), SENTRYCTL_BASELINE_BIN (a second build, measured
// interleaved with the first), SPOTLIGHT_DIR (default $TMPDIR/sentryctl-bench-spotlight),
// BENCH_CEILING=1 (also the ceiling server, ./ceiling-server.ts: what the machine allows),
// BENCH_WARMUP_SECONDS (untimed load per server first; default 1: a server's JIT keeps compiling
// for some 20,000–40,000 envelopes, so 10 measures the steady state), BENCH_THREADS=1 (the
// servers' CPU per envelope by kind of thread: main, JIT, collector, allocator, file pool).

import {
  cpuMicrosPer,
  cpuSecondsOf,
  FreshIds,
  ID_SLOT,
  printCeilingShare,
  quantile,
  startStatusTargets,
  stopChildren,
  threadCpuSecondsOf,
  ThreadTally,
} from "./lib.ts";

const seconds = Number(process.argv[2] ?? 4);
const concurrency = Number(process.argv[3] ?? 16);
const rounds = Number(process.argv[4] ?? 3);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 1);
const THREADS = process.env.BENCH_THREADS === "1";

// The same payloads for both: an error with a stack trace and local variables, a transaction
// with spans, and a log batch, as a Node SDK sends them; each with slots for a fresh id.
function payloads(): string[][] {
  const frames = Array.from({ length: 12 }, (_, i) => ({
    filename: `/app/src/module${i}.js`,
    function: `handler${i}`,
    lineno: 10 + i,
    colno: 5,
    in_app: i > 5,
    pre_context: ["const a = 1;", "const b = 2;", "function x() {"],
    context_line: `  throw new Error("boom ${i}");`,
    post_context: ["}", "x();", ""],
    vars: { a: 1, b: "two", list: [1, 2, 3] },
  }));
  const id = () => crypto.randomUUID().replaceAll("-", "");
  const error = (eid: string) =>
    JSON.stringify({
      event_id: eid,
      platform: "node",
      level: "error",
      timestamp: Date.now() / 1000,
      exception: { values: [{ type: "Error", value: "boom", stacktrace: { frames } }] },
      contexts: { os: { name: "Linux" }, runtime: { name: "node", version: "v20" } },
      sdk: { name: "sentry.javascript.node", version: "11.12.0" },
    });
  const tx = (eid: string) =>
    JSON.stringify({
      event_id: eid,
      type: "transaction",
      transaction: "GET /users",
      start_timestamp: Date.now() / 1000 - 0.2,
      timestamp: Date.now() / 1000,
      contexts: { trace: { trace_id: id(), span_id: id().slice(0, 16), op: "http.server" } },
      spans: Array.from({ length: 20 }, (_, i) => ({
        span_id: id().slice(0, 16),
        trace_id: id(),
        op: "db.query",
        description: `SELECT * FROM t${i}`,
        start_timestamp: 1,
        timestamp: 2,
      })),
    });
  const logs = JSON.stringify({
    items: Array.from({ length: 10 }, (_, i) => ({
      timestamp: Date.now() / 1000,
      level: "info",
      body: `log line ${i}`,
      trace_id: ID_SLOT,
    })),
  });
  const out: string[] = [];
  for (let i = 0; i < 30; i++) {
    out.push(
      `{"event_id":"${ID_SLOT}","sent_at":"2026-01-01T00:00:00Z"}\n{"type":"event"}\n${
        error(ID_SLOT)
      }\n`,
    );
    out.push(`{"event_id":"${ID_SLOT}"}\n{"type":"transaction"}\n${tx(ID_SLOT)}\n`);
    out.push(
      `{}\n{"type":"log","item_count":10,"content_type":"application/vnd.sentry.items.log+json"}\n${logs}\n`,
    );
  }
  return out.map(FreshIds.split);
}

interface Result {
  count: number;
  errors: number;
  seconds: number;
  latencies: number[];
}

async function load(url: string, bodies: string[][], durationS: number): Promise<Result> {
  const ids = new FreshIds();
  const latencies: number[] = [];
  let count = 0;
  let errors = 0;
  const end = performance.now() + durationS * 1000;
  const t0 = performance.now();
  let next = 0;
  const worker = async () => {
    while (performance.now() < end) {
      const body = ids.fill(bodies[next++ % bodies.length]!);
      const s = performance.now();
      try {
        const res = await fetch(url, {
          method: "POST",
          body,
          headers: {
            "content-type": "application/x-sentry-envelope",
            "x-sentry-auth": "Sentry sentry_version=7, sentry_key=bench, sentry_client=bench/1",
          },
        });
        await res.arrayBuffer();
        if (res.ok) count++;
        else errors++;
      } catch {
        errors++;
      }
      latencies.push(performance.now() - s);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { count, errors, seconds: (performance.now() - t0) / 1000, latencies };
}

/**
 * Items sentryctl's /metrics counts as ingested (every item of every accepted envelope) and
 * envelopes it did not store as repeats (0 from a build without dedupe).
 */
async function ingestedItems(base: string): Promise<{ items: number; duplicates: number }> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const sum = (name: string) => {
    let n = 0;
    for (const m of text.matchAll(new RegExp(`^${name}\\{[^}]*\\} (\\d+)$`, "gm"))) {
      n += Number(m[1]);
    }
    return n;
  };
  return {
    items: sum("sentryctl_status_ingested_items_total"),
    duplicates: sum("sentryctl_status_duplicate_envelopes_total"),
  };
}

async function main(): Promise<void> {
  const { targets, spotlight } = await startStatusTargets("ingest", 18969);
  const bodies = payloads();
  // Warm up every server, then alternate rounds so machine noise hits them alike.
  for (const t of targets) await load(`${t.base}/api/1/envelope/`, bodies, WARMUP_SECONDS);
  const before = await Promise.all(
    targets.map((t) => t === spotlight ? { items: 0, duplicates: 0 } : ingestedItems(t.base)),
  );
  const totals = targets.map(() => ({
    count: 0,
    errors: 0,
    seconds: 0,
    latencies: [] as number[],
    // Undefined once a reading is missing (no /proc): then no CPU figure at all.
    cpuSeconds: 0 as number | undefined,
    threads: new ThreadTally(),
  }));
  for (let r = 0; r < rounds; r++) {
    for (const [i, t] of targets.entries()) {
      const threads0 = THREADS ? threadCpuSecondsOf(t.pid) : undefined;
      const cpu0 = cpuSecondsOf(t.pid);
      const res = await load(`${t.base}/api/1/envelope/`, bodies, seconds);
      const cpu1 = cpuSecondsOf(t.pid);
      const tot = totals[i]!;
      if (THREADS) tot.threads.add(threads0, threadCpuSecondsOf(t.pid), res.count);
      tot.cpuSeconds = cpu0 === undefined || cpu1 === undefined || tot.cpuSeconds === undefined
        ? undefined
        : tot.cpuSeconds + cpu1 - cpu0;
      tot.count += res.count;
      tot.errors += res.errors;
      tot.seconds += res.seconds;
      for (const l of res.latencies) tot.latencies.push(l);
    }
  }
  // Complete before any figure: every accepted envelope was counted by the server, item by
  // item (each body holds one item), none was refused, and none was taken for a repeat (each
  // went the whole way into the inbox, as in Spotlight).
  for (const [i, t] of targets.entries()) {
    const tot = totals[i]!;
    if (tot.errors > 0) throw new Error(`${t.name}: ${tot.errors} requests failed`);
    if (t === spotlight) continue;
    const after = await ingestedItems(t.base);
    const counted = after.items - before[i]!.items;
    if (counted !== tot.count) {
      throw new Error(`${t.name}: ${tot.count} envelopes accepted but ${counted} items counted`);
    }
    const repeats = after.duplicates - before[i]!.duplicates;
    if (repeats !== 0) throw new Error(`${t.name}: ${repeats} envelopes dropped as repeats`);
  }
  console.log(
    `ingest: ${rounds} rounds × ${seconds}s per server, ${concurrency} concurrent clients, ` +
      `${bodies.length} envelope shapes (error/transaction/log) cycled, each POST with a fresh ` +
      `event id; every accepted one counted, none a repeat`,
  );
  console.log(
    "server               envelopes/s   p50 ms   p99 ms   errors   server CPU µs/envelope",
  );
  const rates: number[] = [];
  for (const [i, t] of targets.entries()) {
    const tot = totals[i]!;
    const sorted = tot.latencies.sort((a, b) => a - b);
    const rate = tot.count / tot.seconds;
    rates.push(rate);
    const cpu = cpuMicrosPer(0, tot.cpuSeconds, tot.count);
    console.log(
      `${t.name.padEnd(20)} ${rate.toFixed(0).padStart(11)}  ${
        quantile(sorted, 0.5).toFixed(2).padStart(7)
      }  ${quantile(sorted, 0.99).toFixed(2).padStart(7)}   ${String(tot.errors).padStart(6)}   ${
        cpu === undefined ? "-" : cpu.toFixed(0)
      }`,
    );
  }
  if (THREADS) {
    console.log("server CPU µs/envelope by thread (the first is the server's own JavaScript):");
    for (const [i, t] of targets.entries()) {
      console.log(`  ${t.name}: ${totals[i]!.threads.line()}`);
    }
  }
  const spot = rates[targets.indexOf(spotlight)]!;
  for (const [i, t] of targets.entries()) {
    if (t === spotlight) continue;
    console.log(`throughput ratio ${t.name} / Spotlight: ${(rates[i]! / spot).toFixed(1)}×`);
  }
  printCeilingShare(targets.map((t, i) => ({ name: t.name, rate: rates[i]! })));
  stopChildren();
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  stopChildren();
  process.exit(1);
});
