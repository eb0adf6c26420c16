import { test } from "node:test";
import assert from "node:assert/strict";
import { lineReporter, ttyReporter } from "./reporter.ts";

test("plain lines: steps, one line per layer state, and the phases steps do not say", () => {
  const out: string[] = [];
  const r = lineReporter({ write: (d) => out.push(String(d)) }, { phases: true });
  r.step("Creating container 'p_redis'");
  r.pull("img:1", { status: "Downloading", id: "abc", progressDetail: { current: 1, total: 9 } });
  r.pull("img:1", { status: "Downloading", id: "abc", progressDetail: { current: 5, total: 9 } });
  r.pull("img:1", { status: "Pull complete", id: "abc" });
  r.phase("redis", "creating");
  r.phase("redis", "waiting", "exec redis-cli ping");
  r.phase("redis", "healthy");
  r.phase("web", "attached-elsewhere");
  assert.equal(
    out.join(""),
    [
      "> Creating container 'p_redis'",
      "  abc: Downloading",
      "  abc: Pull complete",
      "> redis: waiting (exec redis-cli ping)",
      "> redis: healthy",
      "> web: attached elsewhere",
      "",
    ].join("\n"),
  );
});

test("live lines on a terminal: one line per service redrawn in place, bytes while pulling", () => {
  const out: string[] = [];
  const r = ttyReporter({ write: (d) => out.push(String(d)) }, false, ["redis", "web"]);
  r.phase("redis", "pulling", "img:1");
  r.pull("img:1", {
    status: "Downloading",
    id: "l1",
    progressDetail: { current: 1024, total: 2048 },
  });
  r.phase("web", "healthy");
  assert.equal(out[0], "\x1b[2K redis     pulling\n\x1b[2K web       pending\n");
  // Pull progress redraws at most ten times a second: the next frame shows the phase change.
  assert.equal(
    out.at(-1),
    "\x1b[2A\x1b[2K redis     pulling  1.0 KiB / 2.0 KiB\n\x1b[2K web       healthy\n",
  );
});

test("colour only when asked", () => {
  const out: string[] = [];
  ttyReporter({ write: (d) => out.push(String(d)) }, true, ["db"]).phase("db", "failed", "boom");
  assert.equal(out[0], "\x1b[2K db        \x1b[31mfailed\x1b[39m  boom\n");
});
