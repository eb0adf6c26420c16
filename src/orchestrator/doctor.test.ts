import { test } from "node:test";
import assert from "node:assert/strict";
import { FakeEngine } from "../../tests/helpers/fake-engine.ts";
import { registryOf } from "../lib/image-ref.ts";
import { checkRegistries } from "./doctor.ts";

test("registryOf follows Docker's reference rules", () => {
  assert.equal(registryOf("redis:7"), "docker.io");
  assert.equal(registryOf("library/redis"), "docker.io");
  assert.equal(registryOf("getsentry/snuba:latest"), "docker.io");
  assert.equal(registryOf("ghcr.io/getsentry/snuba:latest"), "ghcr.io");
  assert.equal(registryOf("127.0.0.1:5000/a/b:1"), "127.0.0.1:5000");
  assert.equal(registryOf("localhost/x"), "localhost");
});

test("checkRegistries groups by registry and keeps the engine's words", async () => {
  const engine = new FakeEngine();
  engine.registry.set("ghcr.io/a/ok:1", [10]);
  const reports = await checkRegistries(engine, [
    "ghcr.io/a/ok:1",
    "ghcr.io/a/gone:1",
    "redis:7",
  ]);
  assert.deepEqual(reports.map((r) => [r.registry, r.images.length, r.failed]), [
    ["docker.io", 1, ["redis:7"]],
    ["ghcr.io", 2, ["ghcr.io/a/gone:1"]],
  ]);
  assert.match(reports[1]!.error!, /manifest for ghcr.io\/a\/gone:1 not found/);
});

test("a registry that does not answer in time fails with a plain reason", async () => {
  const engine = new FakeEngine();
  engine.checkRegistry = (_ref: string, signal?: AbortSignal) =>
    new Promise<string | undefined>((_, reject) =>
      signal?.addEventListener("abort", () => reject(new Error("aborted")))
    );
  const [report] = await checkRegistries(engine, ["ghcr.io/a/b:1"], 50);
  assert.equal(report!.error, "no answer within 0.05s");
});
