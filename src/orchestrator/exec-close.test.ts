// exec's watch over a command that ended without reading its input: once the engine reports
// the exit, trailing output is taken for a moment and the connection closed. Driven by a
// manual clock: when the exit is looked for, and when the connection is closed.

import { test } from "node:test";
import assert from "node:assert/strict";
import type { Engine } from "../docker/engine.ts";
import { ManualClock } from "../../tests/helpers/fake-clock.ts";
import { closeAfterExit } from "./exec.ts";

function execEngine() {
  const state = { running: true, looks: 0, destroyed: 0 };
  return {
    state,
    engine: {
      inspectExec(_id: string) {
        state.looks++;
        return Promise.resolve({
          Running: state.running,
          ExitCode: state.running ? null : 126,
        } as Awaited<ReturnType<Engine["inspectExec"]>>);
      },
    },
    exec: { destroy: () => void state.destroyed++ },
  };
}

test("the exit is looked for every 200 ms; the connection closes 500 ms after it", async () => {
  const clock = new ManualClock(0);
  const { state, engine, exec } = execEngine();
  const watcher = closeAfterExit(engine, "e1", exec, clock);
  await clock.advance(199);
  assert.equal(state.looks, 0, "not looked at before the first pause");
  await clock.advance(1);
  assert.equal(state.looks, 1);
  await clock.advance(400);
  assert.equal(state.looks, 3);
  state.running = false;
  await clock.advance(200);
  assert.equal(state.looks, 4, "the exit is seen");
  await clock.advance(499);
  assert.equal(state.destroyed, 0, "output may still trail the exit");
  assert.equal(watcher.closed(), false);
  await clock.advance(1);
  assert.equal(state.destroyed, 1);
  assert.equal(watcher.closed(), true);
  await clock.advance(5000);
  assert.equal(state.looks, 4, "nothing more is polled");
  assert.equal(clock.waiting, 0);
});

test("output that ends by itself stops the watch, during a poll or the trailing moment", async () => {
  const clock = new ManualClock(0);
  const { state, engine, exec } = execEngine();
  const watcher = closeAfterExit(engine, "e1", exec, clock);
  await clock.advance(400);
  watcher.stop();
  await clock.advance(5000);
  assert.equal(state.looks, 2);
  assert.equal(clock.waiting, 0, "no timer is left behind");

  const later = new ManualClock(0);
  const second = execEngine();
  second.state.running = false;
  const w2 = closeAfterExit(second.engine, "e2", second.exec, later);
  await later.advance(300);
  assert.equal(second.state.looks, 1);
  w2.stop();
  await later.advance(1000);
  assert.equal(second.state.destroyed, 0, "a stopped watch never closes the connection");
  assert.equal(w2.closed(), false);
});
