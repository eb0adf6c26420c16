// End-to-end: the SDK chain and the metrics pipeline of the compiled binary against real HTTP
// and UDP listeners on 127.0.0.1 (no Docker). Each test writes its own config dir.

import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type CliResult, runCli, testEnv } from "../helpers/cli.ts";
import {
  type HttpReceiver,
  httpReceiver,
  parseEnvelope,
  type Received,
  udpReceiver,
} from "../helpers/receivers.ts";

const open: { close(): unknown }[] = [];
after(async () => {
  for (const r of open) await r.close();
});

async function receiver(answer?: Parameters<typeof httpReceiver>[0]): Promise<HttpReceiver> {
  const r = await httpReceiver(answer);
  open.push(r);
  return r;
}

function confDir(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), "sentryctl-telemetry-"));
  writeFileSync(join(dir, "sentry.conf.yml"), yaml);
  return dir;
}

function sendEvent(dir: string, args: string[] = [], env: Record<string, string> = {}) {
  return runCli(["send-event", "--config", dir, ...args], { env: testEnv(env), timeoutMs: 30_000 });
}

const ID = /^[0-9a-f]{32}$/;
const events = (r: HttpReceiver) =>
  r.received.map((x) => parseEnvelope(x.body)).filter((e) => e.items[0]?.[0].type === "event");
const itemTypes = (r: Received) => parseEnvelope(r.body).items.map(([h]) => h.type);

function assertOk(r: CliResult) {
  assert.equal(r.code, 0, `exit code\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
}

describe("send-event with two DSNs (must-show 1)", () => {
  test("one envelope to each receiver, upstream first, each with its own key and DSN", async () => {
    const up = await receiver();
    const relay = await receiver();
    const dir = confDir(
      `SENTRY_SDK_CONFIG:\n  dsn: http://upkey@127.0.0.1:${up.port}/11\n` +
        `  relay_dsn: http://relaykey@127.0.0.1:${relay.port}/22\n`,
    );
    const r = await sendEvent(dir, ["-m", "hello from e2e", "--level", "warning"]);
    assertOk(r);
    const id = r.stdout.trim();
    assert.match(id, ID);
    assert.deepEqual(r.stderr.trim().split("\n"), [
      `upstream 127.0.0.1:${up.port} sent (200)`,
      `relay 127.0.0.1:${relay.port} sent (200)`,
    ]);
    assert.equal(up.received.length, 1);
    assert.equal(relay.received.length, 1);
    assert.ok(up.received[0]!.seq < relay.received[0]!.seq, "upstream's request arrived first");
    assert.equal(up.received[0]!.path, "/api/11/envelope/");
    assert.equal(relay.received[0]!.path, "/api/22/envelope/");
    assert.equal(
      up.received[0]!.headers["x-sentry-auth"],
      "Sentry sentry_version=7, sentry_key=upkey, sentry_client=sentryctl/0.1.0",
    );
    assert.equal(
      relay.received[0]!.headers["x-sentry-auth"],
      "Sentry sentry_version=7, sentry_key=relaykey, sentry_client=sentryctl/0.1.0",
    );
    const [upEnv, relayEnv] = [events(up)[0]!, events(relay)[0]!];
    assert.equal(upEnv.header.dsn, `http://upkey@127.0.0.1:${up.port}/11`);
    assert.equal(relayEnv.header.dsn, `http://relaykey@127.0.0.1:${relay.port}/22`);
    for (const e of [upEnv, relayEnv]) {
      assert.equal(e.header.event_id, id);
      const event = e.items[0]![1] as Record<string, unknown>;
      assert.equal(event.message, "hello from e2e");
      assert.equal(event.level, "warning");
      assert.equal(event.release, "backend@0.1.0");
    }
  });

  test("a statsd item reaches relay intact and upstream without it, or with it when enabled", async () => {
    const up = await receiver();
    const relay = await receiver();
    const base = `SENTRY_SDK_CONFIG:\n  dsn: http://u@127.0.0.1:${up.port}/1\n` +
      `  relay_dsn: http://r@127.0.0.1:${relay.port}/2\n`;
    assertOk(await sendEvent(confDir(base), ["--statsd", "e2e.check:1|c|#k:v"]));
    assert.deepEqual(itemTypes(up.received[0]!), ["event"]);
    assert.deepEqual(itemTypes(relay.received[0]!), ["event", "statsd"]);
    assert.equal(parseEnvelope(relay.received[0]!.body).items[1]![1], "e2e.check:1|c|#k:v");

    const enabled = confDir(`${base}SENTRY_SDK_UPSTREAM_METRICS_ENABLED: true\n`);
    assertOk(await sendEvent(enabled, ["--statsd", "e2e.check:2|c"]));
    assert.deepEqual(itemTypes(up.received[1]!), ["event", "statsd"]);
    assert.equal(parseEnvelope(up.received[1]!.body).items[1]![1], "e2e.check:2|c");
  });
});

describe("a failing upstream never breaks relay (must-show 2)", () => {
  test("429 with rate limits: the next event skips upstream, reaches relay; a client report follows", async () => {
    const up = await receiver((_req, res) => {
      res.writeHead(429, { "X-Sentry-Rate-Limits": "60:error:key", "Retry-After": "60" });
      res.end();
    });
    const relay = await receiver();
    const dir = confDir(
      `SENTRY_SDK_CONFIG:\n  dsn: http://u@127.0.0.1:${up.port}/1\n` +
        `  relay_dsn: http://r@127.0.0.1:${relay.port}/2\n`,
    );
    const r = await sendEvent(dir, ["--count", "2"]);
    assertOk(r);
    const ids = r.stdout.trim().split("\n");
    assert.equal(ids.length, 2);
    assert.deepEqual(r.stderr.trim().split("\n"), [
      `upstream 127.0.0.1:${up.port} rejected (429)`,
      `relay 127.0.0.1:${relay.port} sent (200)`,
      `upstream 127.0.0.1:${up.port} skipped (rate limited)`,
      `relay 127.0.0.1:${relay.port} sent (200)`,
    ]);
    assert.deepEqual(events(up).map((e) => e.header.event_id), [ids[0]]);
    assert.deepEqual(events(relay).map((e) => e.header.event_id), ids);
    const reports = up.received.map((x) => parseEnvelope(x.body)).filter((e) =>
      e.items[0]?.[0].type === "client_report"
    );
    assert.equal(reports.length, 1);
    assert.deepEqual((reports[0]!.items[0]![1] as { discarded_events: unknown }).discarded_events, [
      { reason: "ratelimit_backoff", category: "error", quantity: 1 },
    ]);
  });

  test("upstream unreachable: relay gets its copy, exit 0", async () => {
    const relay = await receiver();
    const closed = await httpReceiver();
    const deadPort = closed.port;
    await closed.close();
    const dir = confDir(
      `SENTRY_SDK_CONFIG:\n  dsn: http://u@127.0.0.1:${deadPort}/1\n` +
        `  relay_dsn: http://r@127.0.0.1:${relay.port}/2\n`,
    );
    const r = await sendEvent(dir);
    assertOk(r);
    assert.match(
      r.stderr,
      new RegExp(`^upstream 127\\.0\\.0\\.1:${deadPort} failed \\(.+\\)$`, "m"),
    );
    assert.equal(events(relay).length, 1);
  });

  test("upstream hanging: the command exits within the flush bound; relay got its copy", async () => {
    const up = await receiver(() => {/* never answers */});
    const relay = await receiver();
    const dir = confDir(
      `SENTRY_SDK_CONFIG:\n  dsn: http://u@127.0.0.1:${up.port}/1\n` +
        `  relay_dsn: http://r@127.0.0.1:${relay.port}/2\n`,
    );
    const started = Date.now();
    const r = await sendEvent(dir);
    const elapsed = Date.now() - started;
    assertOk(r);
    assert.ok(elapsed < 6000, `took ${elapsed} ms`);
    assert.match(r.stderr, /^upstream 127\.0\.0\.1:\d+ no answer within 2 s$/m);
    assert.equal(events(relay).length, 1);
  });
});

describe("DSN selection under IS_DEV (must-show 3)", () => {
  test("IS_DEV, no SENTRY_USE_RELAY, no relay_dsn: only upstream gets traffic", async () => {
    const up = await receiver();
    const internal = await receiver();
    const dir = confDir(
      `IS_DEV: true\nSENTRY_PROJECT: 1\nSENTRY_OPTIONS:\n  status.bind: 127.0.0.1:${internal.port}\n` +
        `SENTRY_SDK_CONFIG:\n  dsn: http://u@127.0.0.1:${up.port}/1\n`,
    );
    const r = await sendEvent(dir);
    assertOk(r);
    assert.deepEqual(r.stderr.trim().split("\n"), [`upstream 127.0.0.1:${up.port} sent (200)`]);
    assert.equal(up.received.length, 1);
    assert.equal(internal.received.length, 0);
    // The same with SENTRY_USE_RELAY: the internal project's DSN gets a copy.
    const r2 = await sendEvent(dir, [], { SENTRY_USE_RELAY: "1" });
    assertOk(r2);
    assert.equal(internal.received.length, 1);
    assert.equal(internal.received[0]!.path, "/api/1/envelope/");
  });

  test("relay_dsn set: relay gets its copy even under IS_DEV", async () => {
    const up = await receiver();
    const relay = await receiver();
    const dir = confDir(
      `IS_DEV: true\nSENTRY_SDK_CONFIG:\n  dsn: http://u@127.0.0.1:${up.port}/1\n` +
        `  relay_dsn: http://r@127.0.0.1:${relay.port}/2\n`,
    );
    assertOk(await sendEvent(dir));
    assert.equal(events(up).length, 1);
    assert.equal(events(relay).length, 1);
  });
});

describe("crash reporting (must-show 4)", () => {
  test("an unexpected error reaches the DSN with a stack trace; the command exits 1", async () => {
    const up = await receiver();
    const dir = confDir(`SENTRY_SDK_CONFIG:\n  dsn: http://u@127.0.0.1:${up.port}/1\n`);
    const r = await sendEvent(dir, [], { SENTRYCTL_INTERNAL_CRASH: "1" });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /^error: unexpected: /m);
    const [crash] = events(up);
    assert.ok(crash, "the crash event arrived");
    const exception = (crash.items[0]![1] as {
      exception: {
        values: {
          type: string;
          mechanism: { handled: boolean };
          stacktrace: { frames: unknown[] };
        }[];
      };
    }).exception.values[0]!;
    assert.equal(exception.type, "TypeError");
    assert.equal(exception.mechanism.handled, false);
    assert.ok(exception.stacktrace.frames.length >= 2, "has stack frames");
  });
});

describe("statsd metrics (must-show 5)", () => {
  test("Sentry's statsd backend path: sent_requests and command metrics in DogStatsD format", async () => {
    const up = await receiver();
    const udp = await udpReceiver();
    open.push(udp);
    const dir = confDir(
      `SENTRY_METRICS_BACKEND: sentry.metrics.statsd.StatsdMetricsBackend\n` +
        `SENTRY_METRICS_OPTIONS:\n  host: 127.0.0.1\n  port: ${udp.port}\n` +
        `SENTRY_METRICS_SAMPLE_RATE: 0.99999\n` +
        `SENTRY_SDK_CONFIG:\n  dsn: http://u@127.0.0.1:${up.port}/1\n`,
    );
    assertOk(await sendEvent(dir));
    assert.equal(
      await udp.waitFor(/^sentry\.internal\.sent_requests\.upstream\.events:/),
      "sentry.internal.sent_requests.upstream.events:1|c|@0.99999",
    );
    assert.equal(
      await udp.waitFor(/^sentryctl\.command:/),
      "sentryctl.command:1|c|#command:send-event,status:success",
    );
    assert.match(
      await udp.waitFor(/^sentryctl\.command\.duration:/),
      /^sentryctl\.command\.duration:\d+(\.\d+)?\|ms\|#command:send-event,status:success$/,
    );
    const line = /^[a-z0-9_.]+:-?\d+(\.\d+)?\|(c|ms|g|d)(\|@[0-9.]+)?(\|#[^|]+)?$/;
    for (const l of udp.packets.flatMap((p) => p.split("\n"))) assert.match(l, line);
  });
});

describe("send-event refuses bad input with the right exit code", () => {
  test("no DSN configured: exit 3 with a hint", async () => {
    const r = await sendEvent(confDir("DEBUG: true\n"));
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /^error: no DSN configured: there is nowhere to send the event$/m);
    assert.match(r.stderr, /^hint: set SENTRY_SDK_CONFIG: \{dsn: …\}/m);
    assert.equal(r.stdout, "");
  });

  test("a malformed DSN: exit 3 naming the setting, no stack trace", async () => {
    const r = await sendEvent(
      confDir("SENTRY_SDK_CONFIG:\n  relay_dsn: 'http://nokey.example/1'\n"),
    );
    assert.equal(r.code, 3, r.stderr);
    assert.match(
      r.stderr,
      /^error: SENTRY_SDK_CONFIG\.relay_dsn: invalid DSN 'http:\/\/nokey\.example\/1'$/m,
    );
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });

  test("an unknown level or a bad count: exit 2", async () => {
    const dir = confDir("DEBUG: true\n");
    const level = await sendEvent(dir, ["--level", "loud"]);
    assert.equal(level.code, 2);
    assert.match(level.stderr, /^error: unknown level 'loud'$/m);
    for (const count of ["0", "-1", "abc", "1001"]) {
      const r = await sendEvent(dir, ["--count", count]);
      assert.equal(r.code, 2, `--count ${count}`);
    }
  });

  test("both DSNs down: exit 1 after the flush bound, one line per transport", async () => {
    const a = await httpReceiver();
    const b = await httpReceiver();
    await a.close();
    await b.close();
    const dir = confDir(
      `SENTRY_SDK_CONFIG:\n  dsn: http://u@127.0.0.1:${a.port}/1\n` +
        `  relay_dsn: http://r@127.0.0.1:${b.port}/2\n`,
    );
    const r = await sendEvent(dir);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /^upstream 127\.0\.0\.1:\d+ failed \(.+\)$/m);
    assert.match(r.stderr, /^relay 127\.0\.0\.1:\d+ failed \(.+\)$/m);
    assert.match(r.stderr, /^error: the event reached no DSN$/m);
  });
});

describe("command metrics for every command", () => {
  test("config get (which stops before the SDK step) still records sentryctl.command", async () => {
    const udp = await udpReceiver();
    open.push(udp);
    const dir = confDir(
      `SENTRY_METRICS_BACKEND: dogstatsd\n` +
        `SENTRY_METRICS_OPTIONS:\n  statsd_port: ${udp.port}\n  tags: ["env:e2e"]\n`,
    );
    const r = await runCli(["--config", dir, "config", "get", "system.url-prefix"], {
      env: testEnv(),
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, "");
    assert.equal(
      await udp.waitFor(/^sentryctl\.command:/),
      "sentryctl.command:1|c|#env:e2e,command:config get,status:success",
    );
    const bad = await runCli(["--config", dir, "config", "get", "no.such-option"], {
      env: testEnv(),
    });
    assert.notEqual(bad.code, 0);
    assert.equal(
      await udp.waitFor(/status:failure/),
      "sentryctl.command:1|c|#env:e2e,command:config get,status:failure",
    );
  });
});
