// The CLI edge as users meet it: version, help (root and per command), and usage errors with
// suggestions (exit 2).

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { openSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli, sentryctlCommand, testEnv } from "../helpers/cli.ts";

/** Runs with stdout going to `fd` (a file, /dev/null) or to a pipe closed before anything is read. */
function runWithStdout(
  args: string[],
  stdout: number | "closed",
): Promise<{ code: number | null; stderr: string }> {
  const [cmd, ...pre] = sentryctlCommand();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd!, [...pre, ...args], {
      env: testEnv(),
      stdio: ["ignore", stdout === "closed" ? "pipe" : stdout, "pipe"],
    });
    if (stdout === "closed") child.stdout!.destroy(); // the reader is gone: `| head -0`
    let stderr = "";
    child.stderr!.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stderr }));
  });
}

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
    [["confg", "show"], /unknown command 'confg'/, /did you mean 'config'\?/],
    [["attach", "redis", "--since", "soon"], /invalid --since value 'soon'/, /20s, 5m or 1h/],
    [["attach", "redis", "--since"], /--since for 'attach' needs a value/, /attach --help/],
    [
      ["attach", "redis", "--since", "--json"],
      /--since for 'attach' needs a value/,
      /attach --help/,
    ],
    [["ps", "--json=yes"], /--json for 'ps' takes no value/, /ps --help/],
    [["ps", "-q"], /unknown flag '-q' for 'ps'/, /ps --help/],
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

  test("a group without a subcommand lists its subcommands on stderr, exit 2", async () => {
    const r = await runCli(["config"]);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /^Usage: sentryctl config SUBCOMMAND/);
    assert.match(r.stderr, /\n {2}show +Show every effective option/);
    const asked = await runCli(["config", "--help"]);
    assert.equal(asked.code, 0);
    assert.equal(asked.stdout, r.stderr);
  });

  test("a reader that goes away early (`| head`): exit 141, nothing on stderr", async () => {
    for (const args of [["--help"], ["help", "up"], ["config", "show"]]) {
      const r = await runWithStdout(args, "closed");
      assert.equal(r.code, 141, `${args.join(" ")}: ${r.stderr}`);
      assert.equal(r.stderr, "", args.join(" "));
    }
  });

  test("stdout to a file or /dev/null: everything arrives, in order", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "sentryctl-out-")), "help.txt");
    const r = await runWithStdout(["--help"], openSync(file, "w"));
    assert.equal(r.code, 0, r.stderr);
    const piped = await runCli(["--help"]);
    assert.equal(readFileSync(file, "utf8"), piped.stdout);
    assert.match(piped.stdout, /\nUsage: sentryctl /);
    assert.equal((await runWithStdout(["--help"], openSync("/dev/null", "w"))).code, 0);
  });
});
