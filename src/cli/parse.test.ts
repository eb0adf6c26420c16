import { test } from "node:test";
import assert from "node:assert/strict";
import { SentryctlError } from "../errors.ts";
import type { Command } from "./command.ts";
import { parseCommandArgs, resolveCommand } from "./parse.ts";

const noop = () => Promise.resolve(0);
const commands: Command[] = [
  {
    words: ["attach"],
    summary: "",
    positionals: { min: 1, max: 1 },
    options: { since: { type: "string", help: "", default: "20s" } },
    run: noop,
  },
  { words: ["config", "show"], summary: "", run: noop },
  { words: ["config", "get"], summary: "", positionals: { min: 1, max: 1 }, run: noop },
  { words: ["with"], summary: "", positionals: { min: 1, max: 9 }, acceptsRest: true, run: noop },
];

test("resolveCommand finds words after global flags and strips the devservices group", () => {
  const r = resolveCommand(["--config", "/c", "devservices", "attach", "redis"], commands);
  assert.deepEqual(r.command?.words, ["attach"]);
  assert.deepEqual(r.rest, ["--config", "/c", "redis"]);
  assert.deepEqual(resolveCommand(["config", "get", "x"], commands).command?.words, [
    "config",
    "get",
  ]);
  assert.equal(resolveCommand(["config", "nope"], commands).command, undefined);
});

test("parseCommandArgs: defaults, globals anywhere, positional counts", () => {
  const attach = commands[0]!;
  const parsed = parseCommandArgs(attach, ["redis", "--project", "p"]);
  assert.deepEqual(parsed.positionals, ["redis"]);
  assert.equal(parsed.values.since, "20s");
  assert.equal(parsed.values.project, "p");
  assert.throws(
    () => parseCommandArgs(attach, []),
    (e: unknown) => e instanceof SentryctlError && e.category === "usage",
  );
  assert.throws(() => parseCommandArgs(attach, ["a", "b"]), /unexpected argument 'b'/);
  assert.equal(
    parseCommandArgs(attach, ["--help"]).values.help,
    true,
    "--help skips positional checks",
  );
});

test("unknown flags are usage errors with a suggestion", () => {
  assert.throws(() => parseCommandArgs(commands[0]!, ["redis", "--sinse", "1s"]), (e: unknown) => {
    assert.ok(e instanceof SentryctlError);
    assert.equal(e.category, "usage");
    assert.match(e.message, /unknown flag '--sinse'/);
    assert.match(e.hint ?? "", /--since/);
    return true;
  });
});

test("everything after -- is passed through untouched", () => {
  const parsed = parseCommandArgs(commands[3]!, ["redis", "--", "pytest", "-x", "--config", "y"]);
  assert.deepEqual(parsed.positionals, ["redis"]);
  assert.deepEqual(parsed.rest, ["pytest", "-x", "--config", "y"]);
});

test("exec-style commands: after the service, the rest is the program's, with or without --", () => {
  const exec = {
    words: ["exec"],
    summary: "",
    positionals: { min: 1, max: 1 },
    acceptsRest: true,
    restAfterPositionals: 1,
    run: () => Promise.resolve(0),
  };
  const a = parseCommandArgs(exec, ["--project", "p", "redis", "sh", "-c", "exit 7"]);
  assert.deepEqual(a.positionals, ["redis"]);
  assert.deepEqual(a.rest, ["sh", "-c", "exit 7"]);
  assert.equal(a.values.project, "p");
  const b = parseCommandArgs(exec, ["redis", "--", "redis-cli", "--help"]);
  assert.deepEqual([b.positionals, b.rest], [["redis"], ["redis-cli", "--help"]]);
  const c = parseCommandArgs(exec, ["redis"]);
  assert.deepEqual([c.positionals, c.rest], [["redis"], []]);
});
