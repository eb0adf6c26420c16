// Docker's own health status as a probe (an image's HEALTHCHECK, compose's service_healthy).

import { test } from "node:test";
import assert from "node:assert/strict";
import type { Engine } from "../../docker/engine.ts";
import type { ContainerInspect } from "../../docker/types.ts";
import { dockerHealth } from "./probes.ts";
import { waitHealthy } from "./wait.ts";

function container(test: string[] | undefined, status?: string, output = ""): ContainerInspect {
  return {
    Id: "c1",
    Name: "/c1",
    RestartCount: 0,
    State: {
      Status: "running",
      Running: true,
      Restarting: false,
      ExitCode: 0,
      Error: "",
      StartedAt: "2026-01-01T00:00:00Z",
      FinishedAt: "",
      OOMKilled: false,
      Health: status
        ? { Status: status, Log: [{ Start: "", End: "", ExitCode: 1, Output: output }] }
        : undefined,
    },
    Config: {
      Image: "i",
      Labels: {},
      Tty: false,
      Env: [],
      Healthcheck: test ? { Test: test } : undefined,
    },
    HostConfig: {},
    NetworkSettings: {},
    Mounts: [],
  } as unknown as ContainerInspect;
}

test("no HEALTHCHECK (or NONE) passes at once; healthy passes; starting retries; unhealthy is final", () => {
  assert.equal(dockerHealth(container(undefined)).ok, true);
  assert.equal(dockerHealth(container(["NONE"])).ok, true);
  assert.equal(dockerHealth(container(["CMD-SHELL", "true"], "healthy")).ok, true);
  const starting = dockerHealth(container(["CMD-SHELL", "x"], "starting", "not yet"));
  assert.deepEqual(starting, {
    ok: false,
    output: "Docker reports starting: not yet",
    final: false,
  });
  // Docker has not run the check yet: no Health block at all counts as starting.
  assert.equal(dockerHealth(container(["CMD-SHELL", "x"])).ok, false);
  const bad = dockerHealth(container(["CMD-SHELL", "x"], "unhealthy", "boom"));
  assert.equal(bad.ok, false);
  assert.equal(bad.final, true);
  assert.match(bad.output, /unhealthy: boom/);
});

test("a warm wait on Docker's health reads observe's inspect and asks the engine nothing", async () => {
  const engine = new Proxy({}, {
    get: () => () => Promise.reject(new Error("the engine was asked")),
  }) as unknown as Engine;
  await waitHealthy(
    engine,
    { name: "db", healthcheck: { docker: true, interval: 1 } },
    "c1",
    new AbortController().signal,
    { alreadyRunning: true, observed: container(["CMD-SHELL", "x"], "healthy") },
  );
  await assert.rejects(
    waitHealthy(
      engine,
      { name: "db", healthcheck: { docker: true, interval: 1 } },
      "c1",
      new AbortController().signal,
      { alreadyRunning: true, observed: container(["CMD-SHELL", "x"], "starting") },
    ),
    /the engine was asked/,
    "not healthy yet: probed through the engine",
  );
});
