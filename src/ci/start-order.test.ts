import { test } from "node:test";
import assert from "node:assert/strict";
import { startWaves } from "./start-order.ts";

const graph: Record<string, string[]> = {
  snuba: ["clickhouse", "redis", "kafka"],
  relay: ["kafka", "snuba"],
  kafka: [],
  redis: [],
  clickhouse: [],
};

test("dependencies first, in waves; independent services share a wave", () => {
  assert.deepEqual(startWaves(["relay"], (n) => graph[n]), [
    ["clickhouse", "kafka", "redis"],
    ["snuba"],
    ["relay"],
  ]);
  assert.deepEqual(startWaves(["redis", "kafka"], (n) => graph[n]), [["kafka", "redis"]]);
});

test("a circle is a configuration error naming it", () => {
  assert.throws(
    () => startWaves(["a"], (n) => ({ a: ["b"], b: ["a"] })[n]),
    /circle: a → b → a/,
  );
});
