// The completeness check and the ratio verdicts the `up` benches rely on: a run with a missing,
// stopped, unhealthy, recreated or extra container, or a silent port, must not count.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  aboveFloor,
  type ContainerFact,
  type Expectation,
  formatVerdict,
  judge,
  median,
  problemsOf,
} from "./stack-check.ts";

const EXP: Expectation = {
  services: ["redis", "app"],
  healthy: ["redis"],
  ports: [{ name: "redis", port: 1, kind: "redis" }],
};
const GOOD: ContainerFact[] = [
  { id: "r1", service: "redis", state: "running", health: "healthy" },
  { id: "a1", service: "app", state: "running" },
];
const ANSWERED = { redis: true };

describe("problemsOf", () => {
  test("a complete outcome has no problem", () => {
    assert.deepEqual(
      problemsOf(EXP, { containers: GOOD, answers: ANSWERED }, { health: true }),
      [],
    );
  });

  test("each way of being incomplete is named", () => {
    const obs = {
      containers: [
        { id: "r2", service: "redis", state: "running", health: "starting" },
        { id: "a1", service: "app", state: "exited" },
        { id: "x1", service: "stray", state: "running" },
      ],
      answers: { redis: false },
    };
    assert.deepEqual(
      problemsOf(EXP, obs, { health: true, sameAs: new Map([["redis", "r1"]]) }),
      [
        "redis: health starting",
        "redis: recreated",
        "app: exited",
        "stray: unexpected container",
        "redis: port 1 not answering",
      ],
    );
  });

  test("a missing container, a duplicate, and health only when asked for", () => {
    const obs = {
      containers: [
        { id: "r1", service: "redis", state: "running", health: "starting" },
        { id: "r2", service: "redis", state: "running" },
      ],
      answers: ANSWERED,
    };
    assert.deepEqual(problemsOf(EXP, obs, { health: false }), [
      "redis: 2 containers",
      "app: no container",
    ]);
  });
});

describe("verdicts", () => {
  test("median of odd and even counts", () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.ok(Number.isNaN(median([])));
  });

  test("a ratio is met at or under its target and missed above it", () => {
    assert.deepEqual(judge([80], [100], 0.8), { ratio: 0.8, target: 0.8, result: "met" });
    assert.equal(judge([81, 90, 85], [100, 100, 100], 0.8).result, "missed");
    assert.equal(
      formatVerdict("ratio cold", judge([50], [100], 0.8)),
      "ratio cold: 0.50x (target <= 0.8x): met",
    );
  });

  test("no counted round on a side gives no figure, never a ratio", () => {
    assert.equal(judge([], [100], 0.8).result, "no figure");
    assert.equal(judge([100], [], 0.8).result, "no figure");
    assert.match(formatVerdict("ratio warm", judge([], [], 0.15)), /no figure/);
  });

  test("times above the floor pair rounds and leave out incomplete ones", () => {
    assert.deepEqual(aboveFloor([300, undefined, 500], [100, 100, undefined]), [200]);
  });
});
