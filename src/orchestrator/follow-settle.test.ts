// The waits after a followed container's log stream ends (settledState, beingRemoved) driven
// by a fake clock: which state is believed after how many looks, and how long each wait lasts.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { ContainerInspect } from "../docker/types.ts";
import { FakeClock } from "../../tests/helpers/fake-clock.ts";
import { beingRemoved, settledState } from "./follow.ts";

type Look = { status: string; running?: boolean; restarting?: boolean } | undefined;

function container(look: NonNullable<Look>, policy = "no"): ContainerInspect {
  return {
    Id: "c1",
    Name: "/p_svc",
    RestartCount: 0,
    State: {
      Status: look.status,
      Running: look.running ?? false,
      Restarting: look.restarting ?? false,
      ExitCode: look.running ? 0 : 137,
    },
    Config: { Image: "busybox", Labels: {}, Tty: false, Env: [] },
    HostConfig: { RestartPolicy: { Name: policy } },
    NetworkSettings: {},
    Mounts: [],
  } as unknown as ContainerInspect;
}

/** An engine whose n-th look at the container sees `looks[n]` (the last one from then on). */
function lookingAt(looks: Look[], policy?: string) {
  let n = 0;
  return {
    get looked() {
      return n;
    },
    inspectContainer(_id: string) {
      const look = looks[Math.min(n++, looks.length - 1)];
      return Promise.resolve(look && container(look, policy));
    },
  };
}

const exited = { status: "exited" };
const running = { status: "running", running: true };
const signal = new AbortController().signal;

describe("settledState", () => {
  test("an exit nobody asked for, without a restart policy, is final at the first look", async () => {
    const clock = new FakeClock();
    const engine = lookingAt([exited]);
    const state = await settledState(engine, "c1", { requested: false }, signal, clock);
    assert.equal(state?.State.Status, "exited");
    assert.deepEqual(clock.sleeps, []);
  });

  test("an exit someone asked for (docker restart) is watched until the container runs again", async () => {
    const clock = new FakeClock();
    const engine = lookingAt([exited, exited, exited, exited, running]);
    const state = await settledState(engine, "c1", { requested: true }, signal, clock);
    assert.equal(state?.State.Running, true);
    assert.deepEqual(clock.sleeps, [100, 100, 100, 100]);
  });

  test("a stop that is not followed by a start is believed after 3 s", async () => {
    const clock = new FakeClock(0);
    const engine = lookingAt([exited]);
    const state = await settledState(engine, "c1", { requested: true }, signal, clock);
    assert.equal(state?.State.Status, "exited");
    assert.equal(clock.now(), 3000, "watched for RESTART_WAIT_MS");
    assert.equal(engine.looked, 31);
  });

  test("under a restart policy an exit is given about 2 s to restart", async () => {
    const clock = new FakeClock(0);
    const engine = lookingAt([exited], "always");
    const state = await settledState(engine, "c1", { requested: false }, signal, clock);
    assert.equal(state?.State.Status, "exited");
    assert.equal(engine.looked, 22, "the 22nd look is past the grace of 21 pauses");
    assert.equal(clock.now(), 2100);
  });

  test("a restart in progress is waited out; a container removed meanwhile is undefined", async () => {
    const clock = new FakeClock();
    const restarting = { status: "restarting", restarting: true };
    const back = await settledState(
      lookingAt([restarting, restarting, running], "always"),
      "c1",
      { requested: false },
      signal,
      clock,
    );
    assert.equal(back?.State.Running, true);
    assert.deepEqual(clock.sleeps, [100, 100]);
    const gone = await settledState(
      lookingAt([restarting, undefined], "always"),
      "c1",
      { requested: false },
      signal,
      new FakeClock(),
    );
    assert.equal(gone, undefined);
  });

  test("a container that keeps restarting is given up on after 600 looks (60 s)", async () => {
    const clock = new FakeClock(0);
    const engine = lookingAt([{ status: "restarting", restarting: true }], "always");
    const state = await settledState(engine, "c1", { requested: false }, signal, clock);
    assert.equal(state?.State.Status, "restarting");
    assert.equal(engine.looked, 601, "600 polls and the last look");
    assert.equal(clock.now(), 59_900);
  });

  test("an abort ends the wait", async () => {
    const ctl = new AbortController();
    const clock = new FakeClock();
    const engine = lookingAt([exited]);
    const waiting = settledState(
      engine,
      "c1",
      {
        get requested() {
          if (engine.looked === 3) ctl.abort(new Error("stopped"));
          return true;
        },
      },
      ctl.signal,
      clock,
    );
    await assert.rejects(waiting, /stopped/);
    assert.equal(engine.looked, 3);
  });
});

describe("beingRemoved", () => {
  test("after a SIGKILL exit, the removal half of `docker rm -f` is looked for for 1 s", async () => {
    const removing = { status: "removing" };
    const clock = new FakeClock();
    assert.equal(
      await beingRemoved(lookingAt([exited, removing, undefined]), "c1", 137, signal, clock),
      true,
    );
    assert.deepEqual(clock.sleeps, [100, 100]);

    const kept = new FakeClock();
    const engine = lookingAt([exited]);
    assert.equal(await beingRemoved(engine, "c1", 137, signal, kept), false);
    assert.deepEqual(kept.sleeps, Array(9).fill(100));
    assert.equal(engine.looked, 11, "ten looks and the last");
  });

  test("any other exit is the container's own: looked at once, no wait", async () => {
    const clock = new FakeClock();
    assert.equal(await beingRemoved(lookingAt([exited]), "c1", 1, signal, clock), false);
    assert.equal(await beingRemoved(lookingAt([{ status: "dead" }]), "c1", 0, signal, clock), true);
    assert.deepEqual(clock.sleeps, []);
  });
});
