// bench/ingest: envelopes per second and latency of sentryctl's status-server ingest versus
// the Spotlight sidecar (@spotlightjs/spotlight 4.11.8 with hono 4.12.x, installed in its own
// directory, never in this project's dependencies), on the same machine, with the same
// payloads and the same load generator, in one run. SPEC §9 target: ≥ 10× throughput, p99 < 5 ms.
// Usage: bun bench/ingest.ts [SECONDS_PER_ROUND] [CONCURRENCY] [ROUNDS]
// Env: SENTRYCTL_BIN (default dist/sentryctl), SPOTLIGHT_DIR (default $TMPDIR/sentryctl-bench-spotlight).

import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { quantile } from "./lib.ts";

const seconds = Number(process.argv[2] ?? 4);
const concurrency = Number(process.argv[3] ?? 16);
const rounds = Number(process.argv[4] ?? 3);
const bin = resolve(process.env.SENTRYCTL_BIN ?? "dist/sentryctl");
const spotlightDir = process.env.SPOTLIGHT_DIR ?? join(tmpdir(), "sentryctl-bench-spotlight");
const SPOTLIGHT = "@spotlightjs/spotlight@4.11.8";
// 4.12.25 is the hono its own bundle was built with; later 4.12.x answer 500 on every request
// (`ctx.req.query().toString` is not a function in its tracing middleware).
const HONO = "hono@4.12.25";

function ensureSpotlight(): string {
  const run = join(spotlightDir, "node_modules/@spotlightjs/spotlight/dist/run.js");
  if (existsSync(run)) return run;
  mkdirSync(spotlightDir, { recursive: true });
  writeFileSync(join(spotlightDir, "package.json"), '{"name":"spotlight-bench","private":true}\n');
  console.error(`installing ${SPOTLIGHT} and ${HONO} into ${spotlightDir} …`);
  const r = spawnSync(
    "npm",
    ["install", "--no-audit", "--no-fund", "--save-exact", SPOTLIGHT, HONO],
    { cwd: spotlightDir, stdio: "inherit" },
  );
  if (r.status !== 0 || !existsSync(run)) throw new Error("could not install Spotlight");
  return run;
}

function waitForLine(child: ChildProcess, re: RegExp, timeoutMs = 20_000): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    let out = "";
    const timer = setTimeout(
      () => reject(new Error(`timed out waiting for ${re}: ${out}`)),
      timeoutMs,
    );
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = re.exec(out);
      if (m) {
        clearTimeout(timer);
        resolvePromise(m[1] ?? m[0]);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.on("exit", (code) => reject(new Error(`exited ${code} before ${re}: ${out}`)));
  });
}

async function waitForHealth(url: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer`);
}

// The same payloads for both: an error with a stack trace and local variables, a transaction
// with spans, and a log batch, as a Node SDK sends them.
function payloads(): string[] {
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
      trace_id: id(),
    })),
  });
  const out: string[] = [];
  for (let i = 0; i < 30; i++) {
    const e1 = id();
    const e2 = id();
    out.push(
      `{"event_id":"${e1}","sent_at":"2026-01-01T00:00:00Z"}\n{"type":"event"}\n${error(e1)}\n`,
    );
    out.push(`{"event_id":"${e2}"}\n{"type":"transaction"}\n${tx(e2)}\n`);
    out.push(
      `{}\n{"type":"log","item_count":10,"content_type":"application/vnd.sentry.items.log+json"}\n${logs}\n`,
    );
  }
  return out;
}

interface Result {
  count: number;
  errors: number;
  seconds: number;
  latencies: number[];
}

async function load(url: string, bodies: string[], durationS: number): Promise<Result> {
  const latencies: number[] = [];
  let count = 0;
  let errors = 0;
  const end = performance.now() + durationS * 1000;
  const t0 = performance.now();
  let next = 0;
  const worker = async () => {
    while (performance.now() < end) {
      const body = bodies[next++ % bodies.length]!;
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

const children: ChildProcess[] = [];
function stopAll(): void {
  for (const c of children) if (c.exitCode === null) c.kill("SIGTERM");
}
process.on("exit", stopAll);

async function main(): Promise<void> {
  if (!existsSync(bin)) throw new Error(`${bin} not found: run 'npm run build' first`);
  const runJs = ensureSpotlight();
  const conf = mkdtempSync(join(tmpdir(), "sentryctl-bench-ingest-"));
  writeFileSync(join(conf, "sentry.conf.yml"), "SENTRY_DEVSERVICES: {}\n");
  const sentryctl = spawn(
    bin,
    ["--config", conf, "--project", "sentryctl-bench-ingest", "serve", "--bind", "127.0.0.1:0"],
    { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, HOME: conf } },
  );
  children.push(sentryctl);
  const sentryctlBase = await waitForLine(sentryctl, /Status server on (http:\/\/[^/]+)\//);
  const spotlight = spawn("node", [runJs, "server", "-p", "18969"], {
    cwd: spotlightDir,
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(spotlight);
  await waitForHealth("http://localhost:18969/health");
  await waitForHealth(`${sentryctlBase}/health`);

  const bodies = payloads();
  const targets = [
    { name: "sentryctl serve", url: `${sentryctlBase}/api/1/envelope/` },
    { name: "Spotlight 4.11.8", url: "http://localhost:18969/api/1/envelope/" },
  ];
  // Warm up both, then alternate rounds so machine noise hits both alike.
  for (const t of targets) await load(t.url, bodies, 1);
  const totals = targets.map(() => ({
    count: 0,
    errors: 0,
    seconds: 0,
    latencies: [] as number[],
  }));
  for (let r = 0; r < rounds; r++) {
    for (const [i, t] of targets.entries()) {
      const res = await load(t.url, bodies, seconds);
      const tot = totals[i]!;
      tot.count += res.count;
      tot.errors += res.errors;
      tot.seconds += res.seconds;
      for (const l of res.latencies) tot.latencies.push(l);
    }
  }
  console.log(
    `ingest: ${rounds} rounds × ${seconds}s per server, ${concurrency} concurrent clients, ` +
      `${bodies.length} envelopes (error/transaction/log) cycled`,
  );
  console.log("server             envelopes/s   p50 ms   p99 ms   errors");
  const rates: number[] = [];
  for (const [i, t] of targets.entries()) {
    const tot = totals[i]!;
    const sorted = tot.latencies.sort((a, b) => a - b);
    const rate = tot.count / tot.seconds;
    rates.push(rate);
    console.log(
      `${t.name.padEnd(18)} ${rate.toFixed(0).padStart(11)}  ${
        quantile(sorted, 0.5).toFixed(2).padStart(7)
      }  ${quantile(sorted, 0.99).toFixed(2).padStart(7)}   ${tot.errors}`,
    );
  }
  console.log(`throughput ratio sentryctl / Spotlight: ${(rates[0]! / rates[1]!).toFixed(1)}×`);
  stopAll();
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  stopAll();
  process.exit(1);
});
