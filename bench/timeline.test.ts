// Unit tests of the cold-`up` timeline (./timeline.ts): which engine events count, their order
// and times relative to the spawn, and what follows the last start.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type EngineEvent, formatTimeline, summariseTimelines, timelineOf } from "./timeline.ts";

const SPAWN = 1_800_000_000_000;
const ev = (action: string, name: string, afterMs: number, type = "container"): EngineEvent => ({
  Type: type,
  Action: action,
  timeNano: (SPAWN + afterMs) * 1e6,
  Actor: { Attributes: { name } },
});

describe("timelineOf", () => {
  test("starts and exec ends of the project's containers, in time order, after the spawn", () => {
    const t = timelineOf(
      [
        ev("start", "p_worker", 2481),
        ev("exec_die", "p_worker", 2552),
        ev("create", "p_redis", 86),
        ev("start", "p_redis", 645),
        ev("exec_start: redis-cli ping", "p_redis", 700),
        ev("exec_die", "p_redis", 776),
        ev("start", "p_web", 2106),
        ev("start", "other_web", 2600), // another project's container
        ev("start", "p_worker", -955), // an earlier run of the same project
        ev("connect", "p_web", 900, "network"),
      ],
      "p_",
      SPAWN,
      SPAWN + 2561,
    );
    assert.deepEqual(
      t.marks.map((m) => `${m.service} ${m.what} ${m.at}`),
      [
        "redis start 645",
        "redis exec 776",
        "web start 2106",
        "worker start 2481",
        "worker exec 2552",
      ],
    );
    assert.equal(t.lastStart, "worker");
    assert.equal(t.afterLastStart, 80);
    assert.equal(
      formatTimeline(t, 2561),
      "redis start 645 · redis exec 776 · web start 2106 · worker start 2481 · " +
        "worker exec 2552 · exit 2561",
    );
  });

  test("no start at all: nothing came last", () => {
    const t = timelineOf([ev("create", "p_redis", 10)], "p_", SPAWN, SPAWN + 50);
    assert.deepEqual(t.marks, []);
    assert.equal(t.lastStart, undefined);
    assert.equal(t.afterLastStart, undefined);
    assert.equal(formatTimeline(t, 50), "exit 50");
  });
});

describe("summariseTimelines", () => {
  test("how often each service started last, and the median from the last start to the exit", () => {
    assert.equal(
      summariseTimelines([
        { marks: [], lastStart: "worker", afterLastStart: 93 },
        { marks: [], lastStart: "web", afterLastStart: 20 },
        { marks: [], lastStart: "worker", afterLastStart: 80 },
        { marks: [] },
      ]),
      "timeline: start answered last: worker 2/4, web 1/4; " +
        "from the last start to sentryctl's exit: median 80 ms",
    );
  });
});
