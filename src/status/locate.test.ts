// Finding the local status server: the recorded address before status.bind, a candidate only
// when /health answers ok, and the variables `with`/`run` add.

import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { candidateOrigins, findStatusServer, spotlightEnv } from "./locate.ts";

const dir = mkdtempSync(join(tmpdir(), "sidecar-locate-"));
after(() => rmSync(dir, { recursive: true, force: true }));

describe("locate", () => {
  test("the recorded address comes first, then status.bind (a wildcard reached on loopback)", () => {
    assert.deepEqual(candidateOrigins(dir, "0.0.0.0:8990"), ["http://127.0.0.1:8990"]);
    writeFileSync(
      join(dir, "status-server.json"),
      JSON.stringify({ pid: process.pid, url: "http://127.0.0.1:18991/" }),
    );
    assert.deepEqual(candidateOrigins(dir, "[::1]:9000"), [
      "http://127.0.0.1:18991",
      "http://[::1]:9000",
    ]);
    // A record of a process that is gone is ignored.
    writeFileSync(
      join(dir, "status-server.json"),
      JSON.stringify({ pid: 2 ** 22 + 17, url: "http://127.0.0.1:18991/" }),
    );
    assert.deepEqual(candidateOrigins(dir, "127.0.0.1:8990"), ["http://127.0.0.1:8990"]);
  });

  test("only an origin whose /health says ok counts", async () => {
    const asked: string[] = [];
    const fetchFn = (url: string) => {
      asked.push(url);
      if (url.startsWith("http://a")) return Promise.reject(new Error("refused"));
      if (url.startsWith("http://b")) return Promise.resolve(new Response("nope", { status: 404 }));
      return Promise.resolve(new Response("ok"));
    };
    assert.equal(await findStatusServer(["http://a", "http://b", "http://c"], fetchFn), "http://c");
    assert.deepEqual(asked, ["http://a/health", "http://b/health", "http://c/health"]);
    assert.equal(await findStatusServer(["http://a"], fetchFn), undefined);
  });

  test("SENTRY_SPOTLIGHT and SENTRY_DSN, unless already set", () => {
    assert.deepEqual(spotlightEnv("http://127.0.0.1:8990", {}), {
      SENTRY_SPOTLIGHT: "http://127.0.0.1:8990/stream",
      SENTRY_DSN: "http://sentryctl@127.0.0.1:8990/1",
    });
    assert.deepEqual(spotlightEnv("http://127.0.0.1:8990", { SENTRY_SPOTLIGHT: "true" }), {
      SENTRY_DSN: "http://sentryctl@127.0.0.1:8990/1",
    });
  });
});
