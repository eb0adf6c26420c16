// The variables devservices' programs get from a local status server: found from the state
// directory (a running serve's record, then config.yml's status.bind, then the default), only
// when /health answers ok, never over what the user set.

import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { configuredBind, programSpotlightEnv } from "./spotlight-env.ts";

const work = mkdtempSync(join(tmpdir(), "spotmisc-progenv-"));
after(() => rmSync(work, { recursive: true, force: true }));

/** A fetch where only `healthy` origins answer `/health` with ok; records what was asked. */
function fakeFetch(healthy: string[]) {
  const asked: string[] = [];
  const fn = (url: string) => {
    asked.push(url);
    const origin = new URL(url).origin;
    return healthy.includes(origin)
      ? Promise.resolve(new Response("ok"))
      : Promise.reject(new Error("connection refused"));
  };
  return { fn, asked };
}

describe("programSpotlightEnv", () => {
  test("a running serve's record is used, and SENTRY_CONF names the state directory", async () => {
    const state = join(work, "recorded");
    mkdirSync(state);
    writeFileSync(
      join(state, "status-server.json"),
      JSON.stringify({ pid: process.pid, url: "http://127.0.0.1:18123" }),
    );
    const { fn, asked } = fakeFetch(["http://127.0.0.1:18123"]);
    assert.deepEqual(await programSpotlightEnv({ SENTRY_CONF: state }, "/nowhere", fn), {
      SENTRY_SPOTLIGHT: "http://127.0.0.1:18123/stream",
      SENTRY_DSN: "http://sentryctl@127.0.0.1:18123/1",
    });
    assert.deepEqual(asked, ["http://127.0.0.1:18123/health"]);
  });

  test("without a record: config.yml's status.bind (a wildcard reached on loopback)", async () => {
    const home = join(work, "home");
    mkdirSync(join(home, ".sentry"), { recursive: true });
    writeFileSync(join(home, ".sentry", "config.yml"), "status.bind: '0.0.0.0:18777'\n");
    const { fn, asked } = fakeFetch(["http://127.0.0.1:18777"]);
    assert.deepEqual(await programSpotlightEnv({}, home, fn), {
      SENTRY_SPOTLIGHT: "http://127.0.0.1:18777/stream",
      SENTRY_DSN: "http://sentryctl@127.0.0.1:18777/1",
    });
    assert.deepEqual(asked, ["http://127.0.0.1:18777/health"]);
  });

  test("nothing answers: nothing is added", async () => {
    const { fn, asked } = fakeFetch([]);
    assert.deepEqual(await programSpotlightEnv({}, join(work, "empty-home"), fn), {});
    assert.deepEqual(asked, ["http://127.0.0.1:8990/health"]);
  });

  test("what the user set wins; with both set the server is not even looked for", async () => {
    const { fn, asked } = fakeFetch(["http://127.0.0.1:8990"]);
    const home = join(work, "empty-home");
    assert.deepEqual(
      await programSpotlightEnv({ SENTRY_DSN: "https://k@o1.example/2" }, home, fn),
      {
        SENTRY_SPOTLIGHT: "http://127.0.0.1:8990/stream",
      },
    );
    assert.deepEqual(await programSpotlightEnv({ SENTRY_SPOTLIGHT: "true" }, home, fn), {
      SENTRY_DSN: "http://sentryctl@127.0.0.1:8990/1",
    });
    asked.length = 0;
    const both = { SENTRY_SPOTLIGHT: "http://elsewhere/stream", SENTRY_DSN: "https://k@x/1" };
    assert.deepEqual(await programSpotlightEnv(both, home, fn), {});
    assert.deepEqual(asked, []);
  });

  test("a broken or odd config.yml falls back to the default bind", async () => {
    const dir = join(work, "broken");
    mkdirSync(dir);
    writeFileSync(join(dir, "config.yml"), "status.bind: [1, 2\n");
    assert.equal(await configuredBind(dir), "127.0.0.1:8990");
    writeFileSync(join(dir, "config.yml"), "status.bind: {host: x}\n");
    assert.equal(await configuredBind(dir), "127.0.0.1:8990");
    writeFileSync(join(dir, "config.yml"), "status.bind: 9000\n");
    assert.equal(await configuredBind(dir), "9000");
  });
});
