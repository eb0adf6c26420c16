import { test } from "node:test";
import assert from "node:assert/strict";
import { SentryctlError } from "../errors.ts";
import { splitStackFlags } from "./stack-flags.ts";

test("stack flags before the command are taken out, in every spelling", () => {
  const { flags, rest } = splitStackFlags([
    "-f",
    "a.yml",
    "--file=b.yml",
    "-fc.yml",
    "--file",
    "d.yml",
    "--project",
    "p",
    "--project-directory",
    "dir",
    "--env-file=.env.x",
    "-v",
    "up",
    "redis",
  ]);
  assert.deepEqual(flags, {
    files: ["a.yml", "b.yml", "c.yml", "d.yml"],
    projectDirectory: "dir",
    envFile: ".env.x",
  });
  assert.deepEqual(rest, ["--project", "p", "-v", "up", "redis"]);
});

test("after the command -f is the command's own (logs -f, api -f)", () => {
  assert.deepEqual(splitStackFlags(["logs", "-f", "redis"]), {
    flags: { files: [] },
    rest: ["logs", "-f", "redis"],
  });
  assert.deepEqual(splitStackFlags(["-f", "x.yml", "api", "-f", "k=v", "/p/"]).rest, [
    "api",
    "-f",
    "k=v",
    "/p/",
  ]);
  assert.deepEqual(
    splitStackFlags(["--config", "-f", "up"]).rest,
    ["--config", "-f", "up"],
    "a global's value is not a flag",
  );
  assert.deepEqual(splitStackFlags(["with", "redis", "--", "-f", "x"]).rest, [
    "with",
    "redis",
    "--",
    "-f",
    "x",
  ]);
});

test("a stack flag without a value is a usage error", () => {
  for (const argv of [["-f"], ["-f", "--project", "x"], ["--project-directory"], ["--file="]]) {
    assert.throws(
      () => splitStackFlags(argv),
      (e: unknown) => e instanceof SentryctlError && e.category === "usage",
      argv.join(" "),
    );
  }
});
