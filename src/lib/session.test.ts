import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { formatSession, type HostView, judgeSession, parseSession } from "./session.ts";

const here = (processes: Record<number, string>): HostView => ({
  host: "hostaaaa",
  boot: "boot-1",
  processStart: (pid) => processes[pid],
});

describe("session label", () => {
  test("round trip", () => {
    const label = formatSession({ host: "hostaaaa", boot: "boot-1", pid: 4242, start: "99887" });
    assert.equal(label, "host=hostaaaa;boot=boot-1;pid=4242;start=99887");
    assert.deepEqual(parseSession(label), {
      host: "hostaaaa",
      boot: "boot-1",
      pid: 4242,
      start: "99887",
    });
  });
  test("empty boot and start (no /proc) survive the round trip", () => {
    const label = formatSession({ host: "h", boot: "", pid: 7, start: "" });
    assert.deepEqual(parseSession(label), { host: "h", boot: "", pid: 7, start: "" });
  });
  test("refuses to write separators into a field", () => {
    assert.throws(() => formatSession({ host: "a;b", boot: "", pid: 1, start: "" }));
  });
  test("labels we did not write are not sessions", () => {
    for (
      const bad of [
        undefined,
        "",
        "whatever",
        "host=h;boot=b;pid=0;start=1",
        "host=h;boot=b;pid=-3;start=1",
        "host=h;boot=b;pid=12x;start=1",
        "host=;boot=b;pid=12;start=1",
        "host=h;boot=b;start=1",
        "host=h;boot=b;pid=12;start=1;junk",
        "host=h h;boot=b;pid=12;start=1",
      ]
    ) assert.equal(parseSession(bad), undefined, String(bad));
  });
});

describe("judgeSession", () => {
  const label = (over: Partial<{ host: string; boot: string; pid: number; start: string }>) =>
    formatSession({ host: "hostaaaa", boot: "boot-1", pid: 100, start: "5000", ...over });

  test("owner alive with the same start time: kept", () => {
    assert.deepEqual(judgeSession(label({}), here({ 100: "5000" })), {
      orphan: false,
      reason: "alive",
    });
  });
  test("owner gone: orphan", () => {
    assert.deepEqual(judgeSession(label({}), here({})), { orphan: true, reason: "no-process" });
  });
  test("pid reused by a later process: orphan", () => {
    assert.deepEqual(judgeSession(label({}), here({ 100: "7000" })), {
      orphan: true,
      reason: "pid-reused",
    });
  });
  test("a different boot of this host: orphan even if the pid exists now", () => {
    assert.deepEqual(judgeSession(label({ boot: "boot-0" }), here({ 100: "5000" })), {
      orphan: true,
      reason: "rebooted",
    });
  });
  test("another host's session is never judged, whatever our process table says", () => {
    assert.deepEqual(judgeSession(label({ host: "hostbbbb", boot: "boot-9" }), here({})), {
      orphan: false,
      reason: "other-host",
    });
  });
  test("start time unknown on either side: a live pid keeps it", () => {
    assert.equal(judgeSession(label({ start: "" }), here({ 100: "7000" })).orphan, false);
    assert.equal(judgeSession(label({}), here({ 100: "" })).orphan, false);
  });
  test("unknown boot id on either side does not count as a reboot", () => {
    assert.equal(judgeSession(label({ boot: "" }), here({ 100: "5000" })).orphan, false);
    const noBoot: HostView = { ...here({ 100: "5000" }), boot: "" };
    assert.equal(judgeSession(label({}), noBoot).orphan, false);
  });
  test("a label we cannot read is never an orphan", () => {
    assert.deepEqual(judgeSession("pid=1", here({})), {
      orphan: false,
      reason: "unreadable-label",
    });
  });
});
