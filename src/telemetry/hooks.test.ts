import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { beforeSendTransaction, makeBeforeSend, makeTracesSampler } from "./hooks.ts";

describe("traces_sampler: the first matching rule wins", () => {
  const sampler = makeTracesSampler({ SENTRY_BACKEND_APM_SAMPLING: 0.3 }, {
    "store.save_event": 0.05,
  });

  test("a sampled route beats everything, including the parent's decision", () => {
    assert.equal(
      sampler({ normalizedRequest: { url: "http://h/_warmup/?x=1" }, parentSampled: true }),
      0,
    );
  });
  test("then an explicit sample_rate, then the parent, then the task, then the default", () => {
    assert.equal(sampler({ attributes: { sample_rate: "0.7" }, parentSampled: false }), 0.7);
    assert.equal(
      sampler({ parentSampled: false, attributes: { "taskworker.task": "store.save_event" } }),
      false,
    );
    assert.equal(sampler({ attributes: { "taskworker.task": "store.save_event" } }), 0.05);
    assert.equal(sampler({ name: "GET /other" }), 0.3);
    assert.equal(makeTracesSampler({})({}), 0, "SENTRY_BACKEND_APM_SAMPLING unset: 0");
  });
});

describe("before_send_transaction", () => {
  test("drops a generic 301 redirect (status tag 301 and source url)", () => {
    assert.equal(
      beforeSendTransaction({
        tags: { "http.status_code": "301" },
        transaction_info: { source: "url" },
      }),
      null,
    );
  });
  test("keeps a 301 with a route source; tags spans_over_limit and records the count", () => {
    const kept = beforeSendTransaction({
      tags: { "http.status_code": "301" },
      transaction_info: { source: "route" },
      spans: new Array(1000).fill({}),
    })!;
    assert.equal(kept.tags!.spans_over_limit, "True");
    assert.equal(
      kept.contexts!.trace!.data &&
        (kept.contexts!.trace!.data as { num_of_spans: number }).num_of_spans,
      1000,
    );
    const small = beforeSendTransaction({ spans: [{}] })!;
    assert.equal(small.tags!.spans_over_limit, "False");
  });
});

describe("before_send", () => {
  test("adds silo_mode and sentry_region only to events that have tags", () => {
    const hook = makeBeforeSend({ SILO_MODE: "REGION", SENTRY_REGION: "us" });
    assert.deepEqual(hook({ tags: { a: "b" } }).tags, {
      a: "b",
      silo_mode: "REGION",
      sentry_region: "us",
    });
    assert.equal(hook({}).tags, undefined);
  });
});
