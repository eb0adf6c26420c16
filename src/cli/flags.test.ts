import { test } from "node:test";
import assert from "node:assert/strict";
import { FlagError, parseFlags } from "./flags.ts";
import type { OptionSpec } from "./command.ts";

const SPECS: Record<string, OptionSpec> = {
  json: { type: "boolean", help: "" },
  verbose: { type: "boolean", short: "v", help: "" },
  help: { type: "boolean", short: "h", help: "" },
  tail: { type: "string", short: "n", help: "" },
  exclude: { type: "string", multiple: true, help: "" },
  status: { type: "string", optionalValue: true, help: "" },
};

test("flags: long, inline, separate, short, grouped, repeated, and -- ends them", () => {
  const p = parseFlags(
    ["a", "--json", "--tail=5", "--exclude", "x", "-vh", "--exclude=y", "-n7", "-", "--", "-z"],
    SPECS,
  );
  assert.deepEqual(p.values, {
    json: true,
    tail: "7",
    exclude: ["x", "y"],
    verbose: true,
    help: true,
  });
  assert.deepEqual(p.positionals, ["a", "-", "-z"]);
  assert.deepEqual(parseFlags(["-n", "3"], SPECS).values, { tail: "3" });
  assert.deepEqual(parseFlags(["--tail", "-"], SPECS).values, { tail: "-" });
  assert.deepEqual(parseFlags(["--tail=-1"], SPECS).values, { tail: "-1" });
  assert.deepEqual(parseFlags(["-vn", "2"], SPECS).values, { verbose: true, tail: "2" });
});

test("flags: what strict parsing refuses, by kind", () => {
  const kind = (args: string[]) => {
    try {
      parseFlags(args, SPECS);
    } catch (err) {
      assert.ok(err instanceof FlagError);
      return [err.kind, err.flag];
    }
    return undefined;
  };
  assert.deepEqual(kind(["--nope"]), ["unknown", "--nope"]);
  assert.deepEqual(kind(["--nope=1"]), ["unknown", "--nope"]);
  assert.deepEqual(kind(["-q"]), ["unknown", "-q"]);
  assert.deepEqual(kind(["-vq"]), ["unknown", "-q"]);
  assert.deepEqual(kind(["--tail"]), ["missing-value", "--tail"]);
  assert.deepEqual(kind(["-n"]), ["missing-value", "-n"]);
  assert.deepEqual(kind(["--tail", "--json"]), ["ambiguous-value", "--tail"]);
  assert.deepEqual(kind(["--json=yes"]), ["unexpected-value", "--json"]);
  assert.deepEqual(kind(["--__proto__"]), ["unknown", "--__proto__"]);
  assert.throws(() => parseFlags(["x"], SPECS, false), FlagError);
});

test("flags: an optional value comes only with '=': the next word stays a positional", () => {
  assert.deepEqual(parseFlags(["--status"], SPECS).values, { status: "" });
  assert.deepEqual(parseFlags(["--status=127.0.0.1:9000"], SPECS).values, {
    status: "127.0.0.1:9000",
  });
  const p = parseFlags(["--status", "redis"], SPECS);
  assert.deepEqual([p.values, p.positionals], [{ status: "" }, ["redis"]]);
});
