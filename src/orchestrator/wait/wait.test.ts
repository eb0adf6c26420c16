import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { FakeEngine } from "../../../tests/helpers/fake-engine.ts";
import { FakeClock } from "../../../tests/helpers/fake-clock.ts";
import { SentryctlError } from "../../errors.ts";
import { waitHealthy } from "./wait.ts";

const service = { name: "redis", healthcheck: { exec: ["redis-cli", "ping"], timeout_total: 30 } };

async function running(engine: FakeEngine): Promise<string> {
  engine.images.set("redis:7", { Id: "sha256:r", RepoTags: ["redis:7"] });
  const id = await engine.createContainer("p_redis", { Image: "redis:7", HostConfig: {} });
  await engine.startContainer(id);
  return id;
}

/** A clock whose n-th sleep runs `at[n]` first (things that happen during the wait). */
class ScriptedClock extends FakeClock {
  constructor(private readonly at: Map<number, () => void | Promise<void>>) {
    super();
  }
  override async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    await this.at.get(this.sleeps.length)?.();
    return super.sleep(ms, signal);
  }
}

describe("waitHealthy when the container stops meanwhile", () => {
  test("killed during the wait: 'exited while waiting' (exit 6) with its last log lines, not a 409", async () => {
    const engine = new FakeEngine();
    const id = await running(engine);
    engine.log(id, "Ready to accept connections");
    engine.log(id, "last words");
    engine.execResult = () => 1; // not ready yet
    const clock = new ScriptedClock(new Map([[2, () => void engine.killContainer(id)]]));
    const err = await waitHealthy(engine, service, id, new AbortController().signal, { clock })
      .then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof SentryctlError, String(err));
    assert.equal(err.category, "unhealthy");
    assert.match(err.message, /redis exited with code 137 while waiting to become healthy/);
    assert.match(err.details ?? "", /last words/);
  });

  test("a docker restart during the wait is no death: healthy once the new run answers", async () => {
    const engine = new FakeEngine();
    const id = await running(engine);
    let restarted = false;
    engine.execResult = () => (restarted ? 0 : 1);
    const clock = new ScriptedClock(
      new Map([
        [1, () => engine.stopContainer(id)], // the stop half of `docker restart`
        [5, async () => { // ... and its start, a few polls later
          await engine.startContainer(id);
          restarted = true;
        }],
      ]),
    );
    await waitHealthy(engine, service, id, new AbortController().signal, { clock });
    assert.equal(restarted, true);
  });

  test("an exit that is not followed by a start fails after a short watch", async () => {
    const engine = new FakeEngine();
    const id = await running(engine);
    engine.execResult = () => 1;
    const clock = new ScriptedClock(new Map([[1, () => engine.exit(id, 0)]]));
    const started = clock.now();
    const err = await waitHealthy(engine, service, id, new AbortController().signal, { clock })
      .then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof SentryctlError && err.category === "unhealthy", String(err));
    assert.match(err.message, /exited with code 0/);
    assert.ok(clock.now() - started < 5000, "not held until the overall timeout");
  });
});
