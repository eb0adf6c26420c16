import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { FakeEngine } from "../../tests/helpers/fake-engine.ts";
import { LogEngine } from "../../tests/helpers/log-engine.ts";
import { followContainer } from "./follow.ts";
import type { LogSink } from "./log-follow.ts";

function collector(): LogSink & { text(): string } {
  const parts: Buffer[] = [];
  return {
    write(d: Uint8Array) {
      parts.push(Buffer.from(d));
      return true;
    },
    text: () => Buffer.concat(parts).toString(),
  };
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

function engineWithImage(): FakeEngine {
  const engine = new FakeEngine();
  engine.images.set("busybox", { Id: "sha256:busybox", RepoTags: ["busybox"] });
  return engine;
}

/** A container created (not started), with its attach stream opened, as `attach` does. */
async function createdAndAttached(engine: FakeEngine) {
  const id = await engine.createContainer("p_svc", {
    Image: "busybox",
    Labels: { "io.sentry.sentryctl.project": "p" },
    HostConfig: {},
  });
  const attached = await engine.attachOutput!(id);
  await engine.startContainer(id);
  return { id, attached };
}

describe("followContainer", () => {
  test("a docker restart while following the attach stream: the new run's output, once", async () => {
    const engine = engineWithImage();
    const { id, attached } = await createdAndAttached(engine);
    const out = collector();
    const err = collector();
    const stop = new AbortController();
    const following = followContainer(engine, id, { stdout: out, stderr: err }, {
      sinceUnix: 0,
      signal: stop.signal,
      attached,
      created: true,
    });
    engine.log(id, "first 1");
    engine.log(id, "warn 1", "stderr");
    engine.log(id, "first 2");
    await pause(50);
    // `docker restart`: a stop someone asked for, then (a moment later) a start.
    await engine.stopContainer(id);
    await pause(400);
    await engine.startContainer(id);
    engine.log(id, "second 1");
    engine.log(id, "warn 2", "stderr");
    await pause(400);
    engine.exit(id, 3);
    const end = await following;
    assert.deepEqual(end, { kind: "exited", code: 3, detail: "" });
    assert.equal(out.text(), "first 1\nfirst 2\nsecond 1\n");
    assert.equal(err.text(), "warn 1\nwarn 2\n");
  });

  test("an exit nobody asked for is reported at once, not waited on as a restart", async () => {
    const engine = engineWithImage();
    const { id, attached } = await createdAndAttached(engine);
    const out = collector();
    const following = followContainer(engine, id, { stdout: out, stderr: collector() }, {
      sinceUnix: 0,
      signal: new AbortController().signal,
      attached,
      created: true,
    });
    engine.log(id, "bye");
    await pause(20);
    const t0 = Date.now();
    engine.exit(id, 0);
    assert.deepEqual(await following, { kind: "exited", code: 0, detail: "" });
    assert.ok(Date.now() - t0 < 1000, `reported in ${Date.now() - t0} ms`);
    assert.equal(out.text(), "bye\n");
  });

  test("a docker stop that is not followed by a start ends as an exit after the wait", async () => {
    const engine = engineWithImage();
    const { id, attached } = await createdAndAttached(engine);
    const following = followContainer(engine, id, { stdout: collector(), stderr: collector() }, {
      sinceUnix: 0,
      signal: new AbortController().signal,
      attached,
      created: true,
    });
    await pause(20);
    await engine.stopContainer(id);
    assert.deepEqual(await following, { kind: "exited", code: 0, detail: "" });
  });

  test("without an attach stream (TLS), a created container's whole log is shown", async () => {
    const engine = engineWithImage();
    const id = await engine.createContainer("p_svc", { Image: "busybox", HostConfig: {} });
    await engine.startContainer(id);
    engine.log(id, "printed before anyone followed");
    const out = collector();
    const following = followContainer(engine, id, { stdout: out, stderr: collector() }, {
      sinceUnix: Math.floor(Date.now() / 1000) + 3600, // a --since that would hide it
      signal: new AbortController().signal,
      created: true,
    });
    await pause(20);
    engine.exit(id, 0);
    await following;
    assert.equal(out.text(), "printed before anyone followed\n");
  });

  test(
    "a logs connection that drops inside a run of entries sharing a stamp: every line once, in order",
    {
      timeout: 15_000,
    },
    async () => {
      const engine = new LogEngine();
      engine.dropEvery = 97; // not a multiple of 3: every drop falls inside a group sharing a stamp
      const n = 3000;
      engine.addNumbered(n, 3);
      const out = collector();
      const following = followContainer(engine, engine.id, { stdout: out, stderr: collector() }, {
        sinceUnix: 0,
        signal: new AbortController().signal,
        created: true,
      });
      const lines = () => out.text().split("\n").length - 1;
      for (let waited = 0; lines() < n && waited < 3000; waited += 20) await pause(20);
      engine.stop();
      assert.deepEqual(await following, { kind: "exited", code: 0, detail: "" });
      const want = Array.from({ length: n }, (_, i) => `${i + 1}\n`).join("");
      assert.equal(out.text(), want);
      assert.ok(engine.opened.length >= 30, `${engine.opened.length} reads`);
    },
  );
});
