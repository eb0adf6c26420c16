// End-to-end: `sentryctl serve` against the real Docker engine (issue #10). Ten labelled
// containers of this test's own project stand in for services; a real @sentry/node app sends
// an exception with local variables; Debian's chromium (through playwright-core) drives the
// dashboard as a person would. Everything is cleaned up by the project label.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { REPO_ROOT, runCli, testEnv } from "../helpers/cli.ts";
import { cleanupProject, docker } from "../helpers/docker.ts";
import { eventually } from "../helpers/eventually.ts";
import { RunningCli } from "../helpers/process.ts";
import { catalogOff } from "../helpers/stack.ts";
import { startServe, type StatusServer, stopServe } from "../helpers/status-server.ts";

// Unique per run: other worktrees may run this file at the same time.
const PROJECT = `sentryctl-status-e2e-${process.pid}`;
const SERVICES = Array.from({ length: 10 }, (_, i) => `svc${i}`);
const ARTIFACTS = join(REPO_ROOT, ".ci-state/artifacts");

let server: StatusServer;
let serve: RunningCli;
let base = "";
let token = "";
let link = "";
let dsn = "";
let conf = "";

/** Exactly the ten test services: the built-in catalog removed, svc0…svc9 added. */
function settingsFile(): string {
  // The prometheus metrics backend, so /metrics also renders the process registry.
  const lines = ["SENTRY_METRICS_BACKEND: prometheus", "SENTRY_DEVSERVICES:"];
  lines.push(...catalogOff());
  for (const name of SERVICES) lines.push(`  ${name}: { image: "sentryctl-test/busybox:latest" }`);
  return lines.join("\n") + "\n";
}

function api(path: string, init: RequestInit = {}): Promise<Response> {
  return server.api(path, init);
}

function startContainer(name: string): void {
  const r = docker([
    "run",
    "-d",
    "--name",
    `${PROJECT}_${name}`,
    "--label",
    `io.sentry.sentryctl.project=${PROJECT}`,
    "--label",
    `io.sentry.sentryctl.service=${name}`,
    "sentryctl-test/busybox:latest",
    "sh",
    "-c",
    `trap 'exit 0' TERM; echo started ${name}; while true; do sleep 1; done`,
  ]);
  assert.equal(r.code, 0, r.stderr);
}

async function serviceState(name: string): Promise<string> {
  const res = await api(`/api/0/devservices/${name}/`);
  return ((await res.json()) as { state: string }).state;
}

/** Native-style event with registers (x86_64) and frames with and without context. */
function nativeEnvelope(id: string): string {
  const event = {
    event_id: id,
    platform: "native",
    contexts: { device: { arch: "x86_64" } },
    exception: {
      values: [{
        type: "EXC_BAD_ACCESS",
        value: "SIGSEGV at 0x0",
        stacktrace: {
          registers: {
            rip: "0x000000010c2f8a4e",
            rsp: "0x00007ffee3b0c8d0",
            rax: "0x10",
            $weird: "0x1",
          },
          frames: [
            { function: "main", instruction_addr: "0x10c2f8000", in_app: false },
            {
              function: "crash",
              filename: "crash.c",
              lineno: 7,
              pre_context: ["int crash(void) {", "  int *p = 0;"],
              context_line: "  return *p;",
              post_context: ["}"],
              in_app: true,
            },
          ],
        },
      }],
    },
  };
  return `{"event_id":"${id}"}\n{"type":"event"}\n${JSON.stringify(event)}\n`;
}

before(async () => {
  cleanupProject(PROJECT);
  for (const name of SERVICES) startContainer(name);
  conf = mkdtempSync(join(tmpdir(), "sentryctl-status-conf-"));
  writeFileSync(join(conf, "sentry.conf.yml"), settingsFile());
  server = await startServe(conf, ["--bind", "127.0.0.1:0", "--project", PROJECT]);
  ({ process: serve, base, link, dsn, token } = server);
  // The cache fills from Docker before the server listens; wait for all ten to be seen.
  await eventually("ten running services", async () => {
    const res = await api("/api/0/devservices/");
    const list = (await res.json()) as { state: string }[];
    return list.filter((s) => s.state === "running").length === 10 ? true : undefined;
  });
});

after(async () => {
  await stopServe(serve);
  cleanupProject(PROJECT);
});

describe("serve (real engine)", () => {
  test("prints the DSN and a one-time link; the token file is 0600", () => {
    assert.match(dsn, /^http:\/\/sentryctl@127\.0\.0\.1:\d+\/1$/);
    assert.match(link, /^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{32}$/);
    assert.match(token, /^[0-9a-f]{64}$/);
    assert.equal(statSync(join(conf, "status-token")).mode & 0o777, 0o600);
    assert.ok(!serve.stdout.includes(token), "the long-lived token is never printed");
  });

  test("GET /api/0/status/ answers in < 20 ms with 10 services (from the cache)", async () => {
    const times: number[] = [];
    let body: { services: Record<string, unknown>[] } | undefined;
    for (let i = 0; i < 100; i++) {
      const t0 = performance.now();
      const res = await api("/api/0/status/");
      body = (await res.json()) as { services: Record<string, unknown>[] };
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const p50 = times[49]!;
    const p95 = times[94]!;
    console.log(
      `status latency over 100 requests: p50 ${p50.toFixed(2)} ms, p95 ${p95.toFixed(2)} ms, ` +
        `max ${times[99]!.toFixed(2)} ms`,
    );
    assert.deepEqual(body!.services.map((s) => s.service), SERVICES);
    // The shared service shape (schemas/service.schema.json): exactly its required keys.
    const schema = JSON.parse(
      readFileSync(join(REPO_ROOT, "schemas/service.schema.json"), "utf8"),
    ) as { required: string[] };
    for (const s of body!.services) {
      assert.deepEqual(Object.keys(s).sort(), [...schema.required].sort());
      assert.equal(s.project, PROJECT);
      assert.equal(s.health, "none");
    }
    assert.ok(p95 < 20, `p95 ${p95} ms`);
  });

  test("a container stopped from outside shows as exited; PUT starts it again", async () => {
    const stop = docker(["stop", "-t", "2", `${PROJECT}_svc1`]);
    assert.equal(stop.code, 0, stop.stderr);
    await eventually(
      "svc1 exited",
      async () => (await serviceState("svc1")) === "exited" ? true : undefined,
    );
    const res = await api("/api/0/devservices/svc1/", {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ state: "running" }),
    });
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { state: string }).state, "running");
    const cross = await api("/api/0/devservices/svc1/", {
      method: "PUT",
      headers: { "content-type": "application/json", origin: "http://evil.example" },
      body: JSON.stringify({ state: "stopped" }),
    });
    assert.equal(cross.status, 403);
    assert.equal(await serviceState("svc1"), "running");
  });

  test("the logs stream follows a restart", async () => {
    const controller = new AbortController();
    const res = await api("/api/0/devservices/svc2/logs/", { signal: controller.signal });
    assert.equal(res.status, 200);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    const readUntil = async (re: RegExp) => {
      const deadline = Date.now() + 20_000;
      while (!re.test(text) && Date.now() < deadline) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value);
      }
      return re.test(text);
    };
    assert.ok(await readUntil(/event: stdout\ndata: started svc2\n/), text);
    const restart = docker(["restart", "-t", "2", `${PROJECT}_svc2`]);
    assert.equal(restart.code, 0, restart.stderr);
    assert.ok(
      await readUntil(/event: restart\ndata: [^\n]+\n\nevent: stdout\ndata: started svc2\n/),
      text,
    );
    controller.abort();
    await reader.cancel().catch(() => {});
  });

  test("over a real socket: 21 MiB → 413, a gzip bomb → 413, garbage → 400, still serving", async () => {
    const big = new Uint8Array(21 * 1024 * 1024).fill(0x61);
    const res = await fetch(`${base}/api/1/envelope/`, { method: "POST", body: big });
    assert.equal(res.status, 413);
    assert.deepEqual(await res.json(), {
      detail: "body of 22020096 bytes is larger than the limit of 20971520 bytes",
    });
    const bomb = new Uint8Array(gzipSync(new Uint8Array(64 * 1024 * 1024)));
    const gz = await fetch(`${base}/api/1/envelope/`, {
      method: "POST",
      body: bomb,
      headers: { "content-encoding": "gzip" },
    });
    assert.equal(gz.status, 413);
    assert.deepEqual(await gz.json(), {
      detail: "decompressed body is larger than the limit of 20971520 bytes",
    });
    const bad = await fetch(`${base}/api/1/envelope/`, { method: "POST", body: "{}\n{\n" });
    assert.equal(bad.status, 400);
    assert.deepEqual(await bad.json(), { detail: "item 1 header is not valid JSON" });
    assert.equal(await (await fetch(`${base}/health`)).text(), "ok");
  });

  test("GET /metrics: ingest counters and the process registry pass promtool check metrics", async () => {
    const sent = await fetch(`${base}/api/1/envelope/`, {
      method: "POST",
      body: nativeEnvelope("0123456789abcdef0123456789abcdef"),
    });
    assert.equal(sent.status, 200);
    const res = await fetch(`${base}/metrics`);
    assert.equal(res.status, 200);
    const text = await res.text();
    assert.match(text, /^sentryctl_status_ingested_items_total\{type="event"\} [1-9]\d*$/m);
    // With the prometheus backend the process registry is rendered after the counters; the whole
    // exposition must stay valid however the two are combined.
    assert.match(text, /^# TYPE sentryctl_status_ingested_items_total counter$/m);
    const checked = spawnSync("promtool", ["check", "metrics"], { input: text, encoding: "utf8" });
    assert.equal(checked.error, undefined, "promtool is required (Debian package prometheus)");
    assert.equal(checked.status, 0, `promtool:\n${checked.stdout}${checked.stderr}\n---\n${text}`);
  });

  test("a real @sentry/node app's exception with local variables is shown", async () => {
    const port = new URL(base).port;
    const run = spawnSync("node", [join(REPO_ROOT, "tests/e2e/fixtures/sdk-app.mjs")], {
      env: { PATH: process.env.PATH!, SENTRY_DSN: `http://abc123@127.0.0.1:${port}/1` },
      encoding: "utf8",
      timeout: 30_000,
    });
    assert.equal(run.stdout, "flushed\n", run.stderr);
    const list = (await (await api("/api/0/events/")).json()) as { id: string; title: string }[];
    const ev = list.find((e) => e.title.startsWith("RangeError: amount too large for cus_42"));
    assert.ok(ev, JSON.stringify(list));
    const detail = (await (await api(`/api/0/events/${ev.id}/`)).json()) as {
      sentryKey: string;
      event: { exception: { values: { stacktrace: { frames: Record<string, unknown>[] } }[] } };
    };
    assert.equal(detail.sentryKey, "abc123");
    const frames = detail.event.exception.values[0]!.stacktrace.frames;
    const crash = frames.find((f) => f.function === "chargeCustomer")!;
    assert.deepEqual(crash.vars, {
      customerId: "cus_42",
      amountCents: 123456,
      retries: 3,
      note: "status-e2e-local",
    });
    const page = await (await api(`/events/${ev.id}/`)).text();
    assert.match(
      page,
      /<span class="fn">chargeCustomer<\/span> at line <span class="pos">32:11<\/span>/,
    );
    assert.match(
      page,
      /<li class="expandable active" value="32"><span class="lineno">32<\/span><span class="ws">\s+<\/span><span class="contextline">throw new RangeError\(`amount too large for \$\{customerId\}/,
    );
    assert.match(page, /<ol start="27" class="source">/);
    assert.match(page, /<th>note<\/th><td><code>status-e2e-local<\/code><\/td>/);
  });
});

describe("dashboard in a browser (chromium + playwright-core)", () => {
  const chromium = "/usr/bin/chromium";
  test("one-time link, live services, event page, frame expand, register toggle", {
    skip: existsSync(chromium) ? false : "Debian chromium is not installed",
  }, async () => {
    const { chromium: pw } = await import("playwright-core");
    mkdirSync(ARTIFACTS, { recursive: true });
    const browser = await pw.launch({
      executablePath: chromium,
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    });
    const problems: string[] = [];
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      page.on("console", (m) => {
        if (m.type() === "error") problems.push(`console: ${m.text()}`);
      });
      page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
      await page.goto(link);
      assert.equal(new URL(page.url()).search, "", "the code leaves the address bar");
      await page.waitForSelector('tr[data-name="svc9"]');
      assert.equal(await page.locator("#live-services tr").count(), 10);
      // Wait for the live stream, then stop a container from outside.
      await page.waitForFunction(() => document.body.hasAttribute("data-live-services"));
      const stop = docker(["stop", "-t", "2", `${PROJECT}_svc3`]);
      assert.equal(stop.code, 0, stop.stderr);
      await page.waitForSelector('tr[data-name="svc3"][data-state="exited"]', { timeout: 15_000 });
      await page.screenshot({ path: join(ARTIFACTS, "status-dashboard.png"), fullPage: true });
      // The Start button: a PUT from the page (session cookie, same Origin) starts it again.
      await page.click('tr[data-name="svc3"] button[data-state="running"]');
      await page.waitForSelector('tr[data-name="svc3"][data-state="running"]', { timeout: 15_000 });

      // An event arrives while the dashboard is open; the inbox updates live.
      const id = "5".repeat(32);
      const ingest = await fetch(`${base}/api/1/envelope/`, {
        method: "POST",
        body: nativeEnvelope(id),
      });
      assert.equal(ingest.status, 200);
      await page.waitForSelector(`#live-events a[href="/events/${id}/"]`, { timeout: 10_000 });
      await page.click(`#live-events a[href="/events/${id}/"]`);
      await page.waitForSelector(".frames");
      // Newest frame first and expanded: the crashing in-app frame with registers.
      const first = page.locator(".frame").nth(0);
      const second = page.locator(".frame").nth(1);
      assert.equal(await first.getAttribute("class"), "frame in-app expanded");
      assert.equal(await first.locator("ol.source li").count(), 4);
      assert.equal(await first.locator("li.active .contextline").innerText(), "return *p;");
      // Registers in x86_64 order, unknown names first; hex ↔ decimal.
      assert.deepEqual(await first.locator(".reg-name").allInnerTexts(), [
        "$weird",
        "rax",
        "rsp",
        "rip",
      ]);
      const rip = first.locator(".reg-value").nth(3);
      assert.equal(await rip.innerText(), "0x000000010c2f8a4e");
      await first.locator(".reg-toggle").click();
      assert.equal(await rip.innerText(), "4499409486");
      assert.equal(await first.locator(".reg-toggle").innerText(), "Show hex");
      // Each register has its own toggle too.
      const rax = first.locator(".reg-value").nth(1);
      const raxDec = await rax.innerText();
      await rax.click();
      assert.match(await rax.innerText(), /^0x[0-9a-f]+$/);
      assert.equal(await rip.innerText(), "4499409486", "only the clicked register changed");
      await rax.click();
      assert.equal(await rax.innerText(), raxDec);
      // Sentry's rule: a frame without details gets the "No additional details" note only when
      // it is the trace's only frame; this trace has two. Collapsing and expanding toggles.
      assert.equal(await second.locator(".empty-notation").count(), 0);
      await first.locator(".frame-title").click();
      assert.equal(await first.getAttribute("class"), "frame in-app");
      assert.equal(await first.locator("ol.source li:visible").count(), 1);
      await first.locator(".frame-title").click();
      assert.equal(await first.locator("ol.source li:visible").count(), 4);
      await page.screenshot({ path: join(ARTIFACTS, "status-event.png"), fullPage: true });
      // A service's log page follows the logs stream (svc3, started again above: the page shows
      // the last minute, and svc0's first line may be older than that on a loaded machine).
      await page.goto(`${base}/services/svc3/logs/`);
      await page.waitForFunction(
        () => (document.getElementById("logs")?.textContent ?? "").includes("started svc3"),
        undefined,
        { timeout: 15_000 },
      );
      await page.screenshot({ path: join(ARTIFACTS, "status-logs.png") });
    } finally {
      await browser.close();
    }
    assert.deepEqual(problems, []);
  });
});

describe("serve and attach --status: addresses, shutdown", () => {
  test("a bad --bind is a usage error; a taken port fails with a hint", async () => {
    const bad = await runCli(["--config", conf, "serve", "--bind", "127.0.0.1:99999"]);
    assert.equal(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, /error: invalid bind address '127\.0\.0\.1:99999'/);
    const port = new URL(base).port;
    const taken = await runCli([
      "--config",
      conf,
      "--project",
      PROJECT,
      "serve",
      "--bind",
      `127.0.0.1:${port}`,
    ]);
    assert.equal(taken.code, 1, taken.stderr);
    assert.match(taken.stderr, new RegExp(`error: cannot listen on 127\\.0\\.0\\.1:${port}: `));
    assert.match(taken.stderr, /hint: choose another address with --bind HOST:PORT/);
  });

  test("attach --status=ADDR serves while attached and stops with it", async () => {
    const attachConf = mkdtempSync(join(tmpdir(), "sentryctl-status-attach-"));
    writeFileSync(
      join(attachConf, "sentry.conf.yml"),
      settingsFile() +
        `  box: { image: "sentryctl-test/busybox:latest", command: ["sh", "-c", "trap 'exit 0' TERM; echo box up; while true; do sleep 1; done"] }\n` +
        `  extra: { image: "sentryctl-test/busybox:latest", command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"] }\n`,
    );
    const attach = new RunningCli(
      ["--config", attachConf, "--project", PROJECT, "attach", "box", "--status=127.0.0.1:0"],
      testEnv(),
    );
    try {
      await attach.waitFor(/box up/, 60_000);
      const url = /Status server on (http:\/\/[^/]+)\//.exec(attach.stderr)![1]!;
      const attachToken = readFileSync(join(attachConf, "status-token"), "utf8").trim();
      const box = await eventually("box running in the embedded server", async () => {
        const res = await fetch(`${url}/api/0/devservices/box/`, {
          headers: { authorization: `Bearer ${attachToken}` },
        });
        const s = (await res.json()) as { state: string };
        return s.state === "running" ? s : undefined;
      });
      assert.equal(box.state, "running");
      // A configured service without a container: PUT running creates and starts it.
      const extraUrl = `${url}/api/0/devservices/extra/`;
      const auth = { authorization: `Bearer ${attachToken}` };
      const before = (await (await fetch(extraUrl, { headers: auth })).json()) as { state: string };
      assert.equal(before.state, "missing");
      const put = await fetch(extraUrl, {
        method: "PUT",
        headers: { ...auth, "content-type": "application/json" },
        body: JSON.stringify({ state: "running" }),
      });
      assert.equal(put.status, 200, await put.clone().text());
      assert.equal(((await put.json()) as { state: string }).state, "running");
      assert.equal(
        docker(["inspect", "-f", "{{.State.Running}}", `${PROJECT}_extra`]).stdout.trim(),
        "true",
      );
      attach.signal("SIGINT");
      const exit = await attach.exited;
      assert.equal(exit.code, 0, exit.stderr);
      await assert.rejects(fetch(`${url}/health`));
    } finally {
      if (attach.child.exitCode === null) attach.signal("SIGKILL");
    }
  });

  test("a bare attach --status serves on status.bind from config.yml", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sentryctl-status-bare-"));
    writeFileSync(
      join(dir, "config.yml"),
      `system.secret-key: '${"s".repeat(50)}'\nstatus.bind: '127.0.0.1:0'\n`,
    );
    writeFileSync(
      join(dir, "sentry.conf.yml"),
      settingsFile() +
        `  box: { image: "sentryctl-test/busybox:latest", command: ["sh", "-c", "trap 'exit 0' TERM; echo box up; while true; do sleep 1; done"] }\n`,
    );
    const attach = new RunningCli(
      ["--config", dir, "--project", PROJECT, "attach", "box", "--status"],
      testEnv(),
    );
    try {
      await attach.waitFor(/box up/, 60_000);
      const url = /Status server on (http:\/\/127\.0\.0\.1:\d+)\//.exec(attach.stderr)?.[1];
      assert.ok(url, attach.stderr);
      assert.equal((await fetch(`${url}/health`)).status, 200);
      attach.signal("SIGINT");
      assert.equal((await attach.exited).code, 0);
    } finally {
      if (attach.child.exitCode === null) attach.signal("SIGKILL");
    }
  });

  test("SIGTERM stops serve with exit 0", async () => {
    serve.signal("SIGTERM");
    const exit = await serve.exited;
    assert.equal(exit.code, 0, exit.stderr);
    await assert.rejects(fetch(`${base}/health`));
  });
});
