// End-to-end (issue #22): the dashboard's Start/Stop says on the page why it failed (the
// server's `detail`, not only the browser console), and `serve --link` re-issues the one-time
// link for the running server. A service whose image sits on a registry that refuses
// connections (127.0.0.1:1) makes Start fail fast and for a known reason; nothing is created.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT, runCli, testEnv } from "../helpers/cli.ts";
import { cleanupProject } from "../helpers/docker.ts";
import { RunningCli } from "../helpers/process.ts";

const PROJECT = `sentryctl-dashact-e2e-${process.pid}`;
const ARTIFACTS = join(REPO_ROOT, ".ci-state/artifacts");
const CHROMIUM = "/usr/bin/chromium";
const CATALOG = [
  "redis",
  "rabbitmq",
  "postgres",
  "kafka",
  "clickhouse",
  "snuba",
  "taskbroker",
  "bigtable",
  "memcached",
  "symbolicator",
  "relay",
  "chartcuterie",
  "vroom",
  "spotlight",
];

let conf = "";
let env: Record<string, string> = {};
let serve: RunningCli;
let firstLink = "";

before(async () => {
  cleanupProject(PROJECT);
  conf = mkdtempSync(join(tmpdir(), "sentryctl-dashact-conf-"));
  const lines = ["SENTRY_DEVSERVICES:"];
  for (const name of CATALOG) lines.push(`  ${name}: null`);
  lines.push(`  broken: { image: "127.0.0.1:1/sentryctl-no-such/image:1" }`);
  writeFileSync(join(conf, "sentry.conf.yml"), lines.join("\n") + "\n");
  env = testEnv();
  serve = new RunningCli(
    ["--config", conf, "--project", PROJECT, "serve", "--bind", "127.0.0.1:0"],
    env,
  );
  await serve.waitFor(/Token file: .+\n/, 30_000);
  firstLink = /Dashboard \(one-time link\): (\S+)/.exec(serve.stdout)![1]!;
});

after(async () => {
  if (serve && serve.child.exitCode === null) {
    serve.signal("SIGTERM");
    await serve.exited;
  }
  await RunningCli.killAll();
  cleanupProject(PROJECT);
});

test("serve --link prints a fresh link for the running server and retires the unused one", async () => {
  const r = await runCli(["--config", conf, "serve", "--link"], { env });
  assert.equal(r.code, 0, r.stderr);
  const fresh = /^Dashboard \(one-time link\): (http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{32})\n$/
    .exec(r.stdout)?.[1];
  assert.ok(fresh, r.stdout);
  assert.equal(new URL(fresh).origin, new URL(firstLink).origin);
  assert.notEqual(fresh, firstLink);
  const open = (link: string) =>
    fetch(link, { redirect: "manual", headers: { accept: "text/html" } });
  const old = await open(firstLink);
  assert.equal(old.status, 401, "the replaced link no longer opens the dashboard");
  assert.match(await old.text(), /sentryctl serve --link/);
  const ok = await open(fresh);
  assert.equal(ok.status, 303);
  assert.match(ok.headers.get("set-cookie") ?? "", /^sentryctl_session=/);
  assert.equal((await open(fresh)).status, 401, "one use only");
  assert.ok(serve.child.exitCode === null, "the running server is untouched");
});

test("serve --link with no server running says so and exits 1", async () => {
  const lonely = mkdtempSync(join(tmpdir(), "sentryctl-dashact-none-"));
  writeFileSync(
    join(lonely, "config.yml"),
    `system.secret-key: '${"f".repeat(50)}'\nstatus.bind: '127.0.0.1:1'\n`,
  );
  const r = await runCli(["--config", lonely, "serve", "--link"], { env: testEnv() });
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /no status server answers \(tried http:\/\/127\.0\.0\.1:1\)/);
  assert.match(r.stderr, /sentryctl serve/);
  assert.equal(r.stdout, "");
});

test("a Start that fails shows the server's reason on the page", {
  skip: existsSync(CHROMIUM) ? false : "Debian chromium is not installed",
}, async () => {
  const link = await runCli(["--config", conf, "serve", "--link"], { env });
  assert.equal(link.code, 0, link.stderr);
  const url = /Dashboard \(one-time link\): (\S+)/.exec(link.stdout)![1]!;
  const { chromium } = await import("playwright-core");
  mkdirSync(ARTIFACTS, { recursive: true });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
  try {
    const page = await browser.newPage();
    await page.goto(url);
    const button = page.locator('tr[data-name="broken"] button[data-state="running"]');
    await button.waitFor({ timeout: 15_000 });
    assert.equal(await page.locator("#service-action").isVisible(), false, "no message before");
    await button.click();
    const note = page.locator('#service-action[data-service="broken"]');
    await note.waitFor({ state: "visible", timeout: 60_000 });
    const text = await note.innerText();
    assert.match(text, /^Could not start broken: /);
    assert.match(
      text,
      /127\.0\.0\.1:1\/sentryctl-no-such\/image:1/,
      "Docker's reason, from detail",
    );
    assert.equal(await note.getAttribute("role"), "alert");
    await page.screenshot({ path: join(ARTIFACTS, "dashboard-start-failed.png"), fullPage: true });
    // The button is usable again, and a live refresh of the rows keeps the message.
    await page.waitForSelector('tr[data-name="broken"] button:not([disabled])');
    await page.waitForFunction(() => document.body.hasAttribute("data-live-services"), undefined, {
      timeout: 15_000,
    });
    assert.equal(await note.isVisible(), true);
  } finally {
    await browser.close();
  }
});
