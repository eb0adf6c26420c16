import { test } from "node:test";
import assert from "node:assert/strict";
import { FakeEngine } from "../../../tests/helpers/fake-engine.ts";
import { FakeClock } from "../../../tests/helpers/fake-clock.ts";
import { waitHealthy } from "./wait.ts";

async function running(engine: FakeEngine): Promise<string> {
  engine.images.set("img:1", { Id: "sha256:i", RepoTags: ["img:1"] });
  const id = await engine.createContainer("p_db", { Image: "img:1", HostConfig: {} });
  await engine.startContainer(id);
  return id;
}

const DB = { name: "db", healthcheck: { exec: ["ready"], interval: 5 } };

test("probeAtOnce: a healthy reused container costs one probe and no pause", async () => {
  const engine = new FakeEngine();
  const id = await running(engine);
  const clock = new FakeClock();
  await waitHealthy(engine, DB, id, new AbortController().signal, { clock, probeAtOnce: true });
  assert.deepEqual(clock.sleeps.filter((ms) => ms >= 100), []);
  assert.equal(engine.execs.length, 1);
});

test("probeAtOnce: when the first probe fails, the usual schedule follows", async () => {
  const engine = new FakeEngine();
  const id = await running(engine);
  let n = 0;
  engine.execResult = () => (++n >= 3 ? 0 : 1);
  const clock = new FakeClock();
  await waitHealthy(engine, DB, id, new AbortController().signal, { clock, probeAtOnce: true });
  assert.deepEqual(clock.sleeps.filter((ms) => ms >= 100), [250, 500]);
});
