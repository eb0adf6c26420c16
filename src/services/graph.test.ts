import { test } from "node:test";
import assert from "node:assert/strict";
import type { ResolvedService, ServiceSet } from "./resolve.ts";
import { resolveServices } from "./resolve.ts";
import { selectForUp, topologicalOrder } from "./graph.ts";

function set(
  specs: Record<string, Partial<ResolvedService["spec"]> & { enabled?: boolean }>,
): ServiceSet {
  return new Map(
    Object.entries(specs).map(([name, { enabled, ...spec }]) => [name, {
      name,
      containerName: `p_${name}`,
      enabled: enabled ?? true,
      spec: { image: "x", ...spec },
    }]),
  );
}

test("dependency order: depends_on first, ties by name", () => {
  const s = set({
    web: { depends_on: ["db", "cache"] },
    db: {},
    cache: { depends_on: ["db"] },
    aaa: {},
  });
  assert.deepEqual(selectForUp(s, { names: [] }).map((x) => x.name), ["aaa", "db", "cache", "web"]);
});

test("{containers[x][name]} templates count as dependencies", () => {
  const services = resolveServices(
    {
      SENTRY_DEVSERVICES: {
        kafka: { image: "k" },
        snuba: { image: "s", environment: { BROKER: "{containers[kafka][name]}:9092" } },
      },
    },
    {},
    {},
    "p",
    {},
  );
  assert.deepEqual(services.get("snuba")!.references, ["kafka"]);
  assert.deepEqual(selectForUp(services, { names: ["snuba"] }).map((x) => x.name), [
    "kafka",
    "snuba",
  ]);
});

test("named services bring their enabled dependencies, not excluded or disabled ones", () => {
  const s = set({ web: { depends_on: ["db", "off"] }, db: {}, off: { only_if: false }, other: {} });
  s.get("off")!.enabled = false;
  assert.deepEqual(selectForUp(s, { names: ["web"] }).map((x) => x.name), ["db", "web"]);
  assert.deepEqual(selectForUp(s, { names: ["web"], exclude: ["db"] }).map((x) => x.name), ["web"]);
  assert.deepEqual(selectForUp(s, { names: ["off"] }).map((x) => x.name), ["off"]);
});

test("a cycle is a configuration error naming it", () => {
  const s = set({ a: { depends_on: ["b"] }, b: { depends_on: ["a"] } });
  assert.throws(() => topologicalOrder([...s.values()]), {
    message: "services depend on each other in a circle: a → b → a",
  });
});
