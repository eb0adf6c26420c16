// bench/telemetry: the SPEC §9 telemetry figures, in one run.
//   1. caller-side cost of capturing an event with two DSNs (target < 50 µs median): the time
//      `captureMessage` / `captureException` take to return, with the real MultiplexingTransport
//      posting to two HTTP receivers on 127.0.0.1; plus the whole cost per event (capture to
//      flushed) for context;
//   2. `metrics.incr` on the process pipeline (target < 1 µs median), measured in batches;
//   3. the start-up the SDK adds: `sentryctl config validate` with and without a DSN configured
//      (the binary, interleaved runs).
// Usage: bun bench/telemetry.ts [CAPTURES] [STARTUP_RUNS]

import { createServer } from "node:http";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { measure, printTable, quantile, type Subject } from "./lib.ts";
import { MetricsPipeline } from "../src/metrics/pipeline.ts";
import { DummyMetricsBackend } from "../src/backends/metrics/dummy.ts";
import { planSdk } from "../src/telemetry/options.ts";
import { configureSdk } from "../src/telemetry/sdk.ts";

const captures = Number(process.argv[2] ?? 5000);
const startupRuns = Number(process.argv[3] ?? 30);

function stats(samplesUs: number[]) {
  const sorted = [...samplesUs].sort((a, b) => a - b);
  return { median: quantile(sorted, 0.5), p90: quantile(sorted, 0.9) };
}

async function receiver(): Promise<{ port: number; count: () => number; close: () => void }> {
  let n = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      n++;
      res.writeHead(200).end("{}");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    port: (server.address() as AddressInfo).port,
    count: () => n,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

// 1. capture cost, two DSNs
const up = await receiver();
const relay = await receiver();
const pipeline = new MetricsPipeline();
pipeline.bind(() => new DummyMetricsBackend(undefined, "sentry."));
const settings = {
  IS_DEV: true,
  SENTRY_SDK_CONFIG: {
    dsn: `http://up@127.0.0.1:${up.port}/1`,
    relay_dsn: `http://relay@127.0.0.1:${relay.port}/2`,
  },
};
const sdk = await configureSdk(planSdk(settings, {}, {}), {
  fetch: (url, init) => fetch(url, init as RequestInit),
  incr: (k, a, o) => pipeline.incr(k, a, o),
  settings,
});
const error = new Error("bench error");
async function captureRound(kind: "message" | "exception", n: number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    if (kind === "message") sdk.captureMessage("bench event", "info");
    else sdk.captureException(new Error(`bench ${i}`, { cause: error }));
    samples.push((performance.now() - t0) * 1000);
    // Keep the 64-slot transport buffers from overflowing (an overflow would make calls cheaper).
    if (i % 32 === 31) await sdk.flush(5000);
  }
  await sdk.flush(5000);
  return samples;
}
await captureRound("message", 200); // warm-up
const sentBefore = up.count();
const t0 = performance.now();
const message = stats(await captureRound("message", captures));
const wallPerEventUs = ((performance.now() - t0) * 1000) / captures;
const delivered = up.count() - sentBefore;
const exception = stats(await captureRound("exception", Math.min(captures, 2000)));
up.close();
relay.close();

console.log(`bench/telemetry (${process.versions.bun ? "bun " + process.versions.bun : "node"})`);
console.log(
  `capture with two DSNs, ${captures} message events (upstream received ${delivered} envelopes):`,
);
console.log(
  `  captureMessage    caller-side median ${message.median.toFixed(1)} µs, p90 ${
    message.p90.toFixed(1)
  } µs (target < 50 µs)`,
);
console.log(
  `  captureException  caller-side median ${exception.median.toFixed(1)} µs, p90 ${
    exception.p90.toFixed(1)
  } µs`,
);
console.log(
  `  whole cost per message event (capture → both receivers): ${wallPerEventUs.toFixed(0)} µs`,
);

// 2. metrics.incr
const incr = new MetricsPipeline();
incr.bind(() => new DummyMetricsBackend(undefined, "sentry."));
const batch = 1000;
const perCallNs: number[] = [];
for (let round = 0; round < 600; round++) {
  const t = performance.now();
  for (let i = 0; i < batch; i++) incr.incr("bench.counter", 1, { tags: { a: "b" } });
  const ns = ((performance.now() - t) * 1e6) / batch;
  if (round >= 100) perCallNs.push(ns); // after warm-up
  await new Promise((r) => setTimeout(r, 0)); // let the consumer drain, as in real use
}
const incrStats = stats(perCallNs);
console.log(
  `metrics.incr: median ${incrStats.median.toFixed(0)} ns, p90 ${
    incrStats.p90.toFixed(0)
  } ns per call (batches of ${batch}; target < 1000 ns)`,
);

// 3. start-up with and without a DSN
const bin = process.env.SENTRYCTL_BIN ?? "dist/sentryctl";
if (!existsSync(bin)) {
  console.error(`${bin} is missing: run 'npm run build' first (start-up figures skipped)`);
  process.exit(1);
}
const home = mkdtempSync(join(tmpdir(), "sentryctl-bench-telemetry-"));
const plain = mkdtempSync(join(home, "plain-"));
const withDsn = mkdtempSync(join(home, "dsn-"));
writeFileSync(join(plain, "sentry.conf.yml"), "DEBUG: true\n");
writeFileSync(
  join(withDsn, "sentry.conf.yml"),
  "DEBUG: true\nSENTRY_SDK_CONFIG:\n  dsn: http://k@127.0.0.1:9/1\n  relay_dsn: http://r@127.0.0.1:9/2\n",
);
const env = { ...process.env, HOME: home } as Record<string, string>;
const subjects: Subject[] = [
  { name: "sentryctl --version", argv: [bin, "--version"], env },
  { name: "config validate, no DSN", argv: [bin, "--config", plain, "config", "validate"], env },
  {
    name: "config validate, two DSNs",
    argv: [bin, "--config", withDsn, "config", "validate"],
    env,
  },
];
console.log(`start-up: ${startupRuns} interleaved runs each, binary ${bin}`);
const timings = measure(subjects, startupRuns);
printTable(timings, "config validate, no DSN");
const m = (name: string) => timings.find((t) => t.name === name)!.medianMs;
console.log(
  `SDK start-up cost (median difference): ${
    (m("config validate, two DSNs") - m("config validate, no DSN")).toFixed(1)
  } ms`,
);
