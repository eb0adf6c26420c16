import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { currentSession, hostId, processStart, statStartTime } from "./session.ts";

describe("statStartTime", () => {
  test("field 22, even with spaces and parentheses in the command name", () => {
    const rest = "S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 777123 20 21";
    assert.equal(statStartTime(`4242 (a) b (c) ${rest}`), "777123");
    assert.equal(statStartTime(`4242 (sh) ${rest}`), "777123");
  });
  test("malformed input", () => {
    assert.equal(statStartTime("garbage"), undefined);
    assert.equal(statStartTime("1 (x) S 1 2"), undefined);
  });
});

describe("this machine", () => {
  test("our own process is alive with a stable start time", () => {
    const a = processStart(process.pid);
    assert.notEqual(a, undefined);
    assert.equal(processStart(process.pid), a);
    assert.equal(currentSession().pid, process.pid);
    assert.match(hostId(), /^[0-9a-f]{16}$/);
  });
  test("a process that has exited is gone", () => {
    const r = spawnSync("sh", ["-c", "echo $$"], { encoding: "utf8" });
    const pid = Number(r.stdout.trim());
    assert.ok(pid > 0);
    assert.equal(processStart(pid), undefined);
  });
  test("nonsense pids are gone", () => {
    assert.equal(processStart(0), undefined);
    assert.equal(processStart(-1), undefined);
    assert.equal(processStart(2 ** 40), undefined);
  });
});
