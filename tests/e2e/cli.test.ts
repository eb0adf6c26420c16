// The CLI edge as users meet it: version, help (root and per command), and usage errors with
// suggestions (exit 2).

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { runCli } from "../helpers/cli.ts";

describe("CLI edge", () => {
  test("--version prints the version, with or without global flags", async () => {
    for (const args of [["--version"], ["--config", "/nonexistent", "--version"]]) {
      const r = await runCli(args);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^sentryctl \d+\.\d+\.\d+ \(bun \d/);
    }
  });

  test("help: root, `help CMD`, `CMD --help`, `devservices CMD --help`", async () => {
    for (const args of [[], ["--help"], ["help"]]) {
      const r = await runCli(args);
      assert.equal(r.code, 0);
      assert.match(r.stdout, /Usage: sentryctl/);
      assert.match(r.stdout, /\n {2}attach /);
    }
    for (
      const args of [["attach", "--help"], ["help", "attach"], ["devservices", "attach", "-h"]]
    ) {
      const r = await runCli(args);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^Usage: sentryctl attach SERVICE \[flags\]/);
      assert.match(r.stdout, /--skip-only-if/);
      assert.match(r.stdout, /--since DUR/);
    }
  });

  const usage: [string[], RegExp, RegExp][] = [
    [["atach", "redis"], /unknown command 'atach'/, /did you mean 'attach'\?/],
    [
      ["attach", "redis", "--sinse", "5s"],
      /unknown flag '--sinse' for 'attach'/,
      /did you mean '--since'\?/,
    ],
    [["--bogus"], /unknown flag '--bogus'/, /sentryctl --help/],
    [["attach"], /'attach' needs SERVICE/, /usage: sentryctl attach SERVICE/],
    [["attach", "a", "b"], /unexpected argument 'b'/, /usage:/],
    [["config"], /'config' needs a subcommand: show, get, set/, /SUBCOMMAND --help/],
    [["confg", "show"], /unknown command 'confg'/, /did you mean 'config'\?/],
    [["attach", "redis", "--since", "soon"], /invalid --since value 'soon'/, /20s, 5m or 1h/],
  ];
  for (const [args, message, hint] of usage) {
    test(`usage error, exit 2: sentryctl ${args.join(" ")}`, async () => {
      const r = await runCli(args);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, new RegExp(`^error: ${message.source}`));
      assert.match(r.stderr, new RegExp(`\\nhint: .*${hint.source}`));
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    });
  }
});
