// End-to-end: the status server as Spotlight's sidecar (SPEC §7a), with the compiled binary.
// Spotlight's own `spotlight tail` (@spotlightjs/spotlight 4.11.8 with hono 4.12.25, installed
// in a temp dir, never in the project), a plain SSE client of GET /stream, `sentryctl tail` in
// every format and the MCP SDK's client all see the same error, log and trace; `run` exports
// SENTRY_SPOTLIGHT/SENTRY_DSN for the running server; a restart of serve keeps the inbox.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { runCli, testEnv } from "../helpers/cli.ts";
import { configDir } from "../helpers/config-dir.ts";
import { RunningCli } from "../helpers/process.ts";
import { startServe } from "../helpers/status-server.ts";
import { readSse, type SseEvent } from "../../src/status/sse-reader.ts";

const SPOTLIGHT_DIR = process.env.SPOTLIGHT_DIR ?? join(tmpdir(), "sentryctl-bench-spotlight");
const TRACE = "5b1d2c3e4f5061728394a5b6c7d8e9f0";
const env = testEnv();
let conf = "";
let serve: RunningCli;
let base = "";
let token = "";

async function start(): Promise<void> {
  ({ process: serve, base, token } = await startServe(conf, ["--bind", "127.0.0.1:0"], env));
}

async function stop(): Promise<void> {
  serve.child.kill("SIGTERM");
  assert.equal((await serve.exited).code, 0);
}

function ensureSpotlight(): string {
  const run = join(SPOTLIGHT_DIR, "node_modules/@spotlightjs/spotlight/dist/run.js");
  if (existsSync(run)) return run;
  mkdirSync(SPOTLIGHT_DIR, { recursive: true });
  writeFileSync(join(SPOTLIGHT_DIR, "package.json"), '{"name":"spotlight-bench","private":true}\n');
  const r = spawnSync("npm", [
    "install",
    "--no-audit",
    "--no-fund",
    "--save-exact",
    "@spotlightjs/spotlight@4.11.8",
    "hono@4.12.25",
  ], { cwd: SPOTLIGHT_DIR, stdio: "inherit", timeout: 240_000 });
  assert.equal(r.status, 0, "npm install of Spotlight");
  return run;
}

function envelope(header: Record<string, unknown>, type: string, payload: unknown): string {
  return `${JSON.stringify(header)}\n${JSON.stringify({ type })}\n${JSON.stringify(payload)}\n`;
}

const now = () => Date.now() / 1000;
const ERROR = () =>
  envelope({ event_id: "a".repeat(32), sdk: { name: "sentry.javascript.node" } }, "event", {
    event_id: "a".repeat(32),
    timestamp: now(),
    level: "error",
    platform: "node",
    contexts: { trace: { trace_id: TRACE, span_id: "1111111111111111" } },
    exception: {
      values: [{
        type: "TypeError",
        value: "sidecar e2e boom",
        stacktrace: {
          frames: [{ filename: "/app/src/pay.js", function: "pay", lineno: 7, in_app: true }],
        },
      }],
    },
  });
const LOG = () =>
  envelope({}, "log", {
    items: [{ timestamp: now(), level: "warn", body: "sidecar e2e log line", trace_id: TRACE }],
  });
const TX = () =>
  envelope({ event_id: "b".repeat(32) }, "transaction", {
    event_id: "b".repeat(32),
    type: "transaction",
    transaction: "POST /pay",
    start_timestamp: now() - 0.2,
    timestamp: now(),
    contexts: { trace: { trace_id: TRACE, span_id: "1111111111111111", op: "http.server" } },
    spans: [{
      span_id: "2222222222222222",
      parent_span_id: "1111111111111111",
      trace_id: TRACE,
      op: "db.query",
      description: "INSERT INTO payments",
      start_timestamp: now() - 0.15,
      timestamp: now() - 0.05,
    }],
  });

async function post(body: string): Promise<void> {
  const res = await fetch(`${base}/stream`, {
    method: "POST",
    body,
    headers: { "content-type": "application/x-sentry-envelope" },
  });
  assert.equal(res.status, 200);
}

async function collect(n: number, headers: Record<string, string> = {}): Promise<SseEvent[]> {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), 20_000);
  const res = await fetch(`${base}/stream`, { headers, signal: ac.signal });
  assert.equal(res.status, 200);
  const out: SseEvent[] = [];
  try {
    for await (const ev of readSse(res.body!, ac.signal)) {
      out.push(ev);
      if (out.length === n) break;
    }
  } finally {
    clearTimeout(timer);
    ac.abort();
  }
  return out;
}

async function until(what: string, ok: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const tails: { format: string; cli: RunningCli }[] = [];
let spotlightTail: ChildProcess | undefined;
let spotlightOut = "";

before(async () => {
  conf = configDir("SENTRY_DEVSERVICES: {}\n", "sentryctl-sidecar-e2e-");
  await start();
});

after(async () => {
  spotlightTail?.kill("SIGKILL");
  await RunningCli.killAll();
});

describe("serve as Spotlight's sidecar", () => {
  test("spotlight tail, sentryctl tail (every format) and an SSE client see every item", async () => {
    const runJs = ensureSpotlight();
    const port = new URL(base).port;
    spotlightTail = spawn("node", [runJs, "tail", "errors", "logs", "-p", port, "-f", "human"], {
      cwd: SPOTLIGHT_DIR,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, NO_COLOR: "1" },
    });
    spotlightTail.stdout!.on("data", (d) => (spotlightOut += d));
    spotlightTail.stderr!.on("data", (d) => (spotlightOut += d));
    for (const format of ["human", "json", "logfmt", "md"]) {
      tails.push({
        format,
        cli: new RunningCli(["--config", conf, "tail", "all", "--format", format], env),
      });
    }
    const sse = collect(3);
    // Let every client connect (they would also get these from the replay, but live is the case).
    await new Promise((r) => setTimeout(r, 2000));
    await post(ERROR());
    await post(LOG());
    await post(TX());

    const events = await sse;
    assert.deepEqual(events.map((e) => e.event), Array(3).fill("application/x-sentry-envelope"));
    const ids = events.map((e) => e.id!);
    assert.deepEqual([...ids].sort(), ids);
    const parsed = events.map((e) => JSON.parse(e.data));
    assert.equal(parsed[0][0].__spotlight_envelope_id, ids[0]);
    assert.equal(parsed[0][1][0][1].exception.values[0].value, "sidecar e2e boom");
    assert.equal(parsed[0][1][0][1].type, "event");
    assert.equal(parsed[1][1][0][1].items[0].body, "sidecar e2e log line");
    assert.equal(parsed[2][1][0][1].transaction, "POST /pay");

    // Replay after the first id: the other two.
    const replay = await collect(2, { "last-event-id": ids[0]! });
    assert.deepEqual(replay.map((e) => e.id), ids.slice(1));

    // The raw envelope back, for a token holder.
    const raw = await fetch(`${base}/envelope/${ids[1]}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(raw.status, 200);
    assert.match(await raw.text(), /sidecar e2e log line/);

    await until(
      "spotlight tail output",
      () => /sidecar e2e boom/.test(spotlightOut) && /sidecar e2e log line/.test(spotlightOut),
    );
    for (const { format, cli } of tails) {
      await until(
        `sentryctl tail --format ${format}`,
        () =>
          /sidecar e2e boom/.test(cli.stdout) && /sidecar e2e log line/.test(cli.stdout) &&
          /POST \/pay/.test(cli.stdout),
      );
    }
    const byFormat = Object.fromEntries(tails.map((t) => [t.format, t.cli.stdout]));
    const json = byFormat.json!.trim().split("\n").map((l) => JSON.parse(l));
    assert.deepEqual(json.map((r) => r.type), ["event", "log", "transaction"]);
    assert.equal(json[0].message, "TypeError: sidecar e2e boom");
    assert.equal(json[0].at, "/app/src/pay.js:7");
    assert.match(byFormat.logfmt!, /type=log level=warn msg="sidecar e2e log line" trace_id=5b1d/);
    assert.match(byFormat.md!, /^- \*\*event\*\* `TypeError: sidecar e2e boom`/m);
    assert.match(
      byFormat.human!,
      /event +error +TypeError: sidecar e2e boom {2}at=\/app\/src\/pay\.js:7/,
    );
    // Ctrl-C: exit 0.
    for (const { cli } of tails) {
      cli.child.kill("SIGINT");
      assert.equal((await cli.exited).code, 0);
    }
  });

  test("an MCP client lists the four tools and finds the error, the log and the trace", async () => {
    const client = new Client({ name: "sidecar-e2e", version: "1" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${base}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${token}` } },
      }),
    );
    const names = (await client.listTools()).tools.map((t) => t.name).sort();
    assert.deepEqual(names, ["get_traces", "search_errors", "search_logs", "search_traces"]);
    const text = (r: unknown) =>
      (r as { content: { text: string }[] }).content.map((c) => c.text).join("\n");
    const window = { filters: { timeWindow: 3600 } };
    assert.match(
      text(await client.callTool({ name: "search_errors", arguments: window })),
      /## TypeError: sidecar e2e boom/,
    );
    assert.match(
      text(await client.callTool({ name: "search_logs", arguments: window })),
      /sidecar e2e log line/,
    );
    const tree = text(await client.callTool({ name: "get_traces", arguments: { traceId: TRACE } }));
    assert.match(tree, /`POST \/pay`/);
    assert.match(tree, /\*\*db\.query\*\* `INSERT INTO payments`/);
    await client.close();
    const anonymous = await fetch(`${base}/mcp`, { method: "POST", body: "{}" });
    assert.equal(anonymous.status, 401);
  });

  test("run exports SENTRY_SPOTLIGHT and SENTRY_DSN for the running server", async () => {
    const script = join(conf, "show-env.sh");
    writeFileSync(script, 'echo "SPOT=$SENTRY_SPOTLIGHT"\necho "DSN=$SENTRY_DSN"\n');
    chmodSync(script, 0o755);
    const r = await runCli(["--config", conf, "run", "--with", "", script], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^SPOT=${base}/stream$`, "m"));
    assert.match(r.stdout, new RegExp(`^DSN=${base.replace("://", "://sentryctl@")}/1$`, "m"));
    const kept = await runCli(["--config", conf, "run", "--with", "", script], {
      env: { ...env, SENTRY_DSN: "https://k@o1.ingest.example/9" },
    });
    assert.match(kept.stdout, /^DSN=https:\/\/k@o1\.ingest\.example\/9$/m);
  });

  test("the inbox survives a restart of serve, ids and all", async () => {
    const before = (await collect(3)).map((e) => e.id);
    await stop();
    await start();
    const after = await collect(3);
    assert.deepEqual(after.map((e) => e.id), before);
    assert.match(after[0]!.data, /sidecar e2e boom/);
    const events = await fetch(`${base}/api/0/events/`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(((await events.json()) as unknown[]).length, 3);
    await stop();
  });
});
