import { test } from "node:test";
import assert from "node:assert/strict";
import { currentSession, formatSession, parseSession } from "./session.ts";

test("the session label round-trips and names this process", () => {
  const s = currentSession();
  assert.equal(s.pid, process.pid);
  assert.ok(s.startedAt > 1_600_000_000_000 && s.startedAt <= Date.now());
  assert.deepEqual(parseSession(formatSession(s)), s);
  assert.equal(
    formatSession({ hostId: "h1", bootId: "b2", pid: 42, startedAt: 1700000000000 }),
    "host=h1,boot=b2,pid=42,start=1700000000000",
  );
  assert.equal(parseSession("host=h,pid=x"), undefined);
});
