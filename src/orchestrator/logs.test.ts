// `logs -f` against an engine whose logs connection drops while the container runs on: the
// follow resumes at the exact entry where the dropped read stopped.

import assert from "node:assert/strict";
import { test } from "node:test";
import type { Engine, EventsOptions } from "../docker/engine.ts";
import type { EngineEvent } from "../docker/types.ts";
import { LogEngine } from "../../tests/helpers/log-engine.ts";
import { LABELS } from "./labels.ts";
import { showLogs } from "./logs.ts";
import { catalogScope } from "./scope.ts";

/** One project container, "web", and an event stream on which nothing happens. */
class ProjectLogEngine extends LogEngine {
  listContainers() {
    return Promise.resolve([{
      Id: this.id,
      Names: ["/p_web"],
      Labels: { [LABELS.project]: "p", [LABELS.service]: "web" },
    }]);
  }

  async *events(opts: EventsOptions): AsyncIterable<EngineEvent> {
    await new Promise((r) => opts.signal.addEventListener("abort", r, { once: true }));
    yield* []; // ends with the follow, having said nothing
  }
}

test(
  "logs -f: a connection that drops inside a run of entries sharing a stamp loses and repeats nothing",
  {
    timeout: 15_000,
  },
  async () => {
    const engine = new ProjectLogEngine();
    engine.dropEvery = 97; // not a multiple of 3: every drop falls inside a group sharing a stamp
    const n = 600;
    engine.addNumbered(n, 3);
    let text = "";
    const out = { write: (d: string | Uint8Array) => (text += Buffer.from(d).toString()) };
    const stop = new AbortController();
    const showing = showLogs(engine as unknown as Engine, {
      scope: catalogScope("p"),
      names: ["web"],
      follow: true,
      timestamps: false,
      stdout: out,
      stderr: out,
      signal: stop.signal,
    });
    const lines = () => text.split("\n").length - 1;
    for (let waited = 0; lines() < n && waited < 5000; waited += 20) {
      await new Promise((r) => setTimeout(r, 20));
    }
    await new Promise((r) => setTimeout(r, 300)); // a repeat would show by now
    stop.abort();
    assert.deepEqual(await showing, ["web"]);
    assert.equal(text, Array.from({ length: n }, (_, i) => `${i + 1}\n`).join(""));
    assert.ok(engine.opened.length >= 6, `${engine.opened.length} reads`);
  },
);
