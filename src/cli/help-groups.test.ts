// Group help, `help` for every command and group, and misspelled global flags (issue 22).

import { test } from "node:test";
import assert from "node:assert/strict";
import { captureInputs } from "../../tests/helpers/process-inputs.ts";
import { isDevservicesWord } from "./devservices/names.ts";
import { COMMANDS } from "./commands/index.ts";
import { run } from "./run.ts";

async function runIn(argv: string[]) {
  const io = captureInputs({ HOME: "/nonexistent-home-for-test" }, "/nonexistent-home-for-test");
  const code = await run(argv, io);
  return { code, out: io.out.join(""), err: io.err.join("") };
}

const GROUPS = [...new Set(COMMANDS.filter((c) => c.words.length > 1).map((c) => c.words[0]!))];

test("every group: --help and help GROUP list its subcommands on stdout, exit 0", async () => {
  assert.ok(GROUPS.includes("permissions") && GROUPS.includes("config"));
  for (const group of GROUPS) {
    const subs = COMMANDS.filter((c) => c.words[0] === group && c.words.length > 1);
    for (const argv of [[group, "--help"], ["help", group], [group, "-h"]]) {
      const r = await runIn(argv);
      assert.equal(r.code, 0, argv.join(" "));
      assert.equal(r.err, "");
      for (const sub of subs) {
        const line = r.out.split("\n").find((l) => l.trim().startsWith(sub.words[1]!));
        assert.ok(line?.includes(sub.summary), `${argv.join(" ")} lists ${sub.words.join(" ")}`);
      }
    }
  }
});

test("a group without a subcommand prints the same list to stderr, exit 2", async () => {
  for (const group of GROUPS) {
    const asked = await runIn([group, "--help"]);
    const bare = await runIn([group]);
    assert.equal(bare.code, 2);
    assert.equal(bare.out, "");
    assert.equal(bare.err, asked.out);
  }
});

test("help works for every command, with and without the devservices group", async () => {
  for (const command of COMMANDS) {
    for (const prefix of [[], ["devservices"]]) {
      // Under `devservices`, devservices' own commands are its command line (SPEC §3b).
      if (prefix.length > 0 && isDevservicesWord(command.words[0])) continue;
      const r = await runIn(["help", ...prefix, ...command.words]);
      assert.equal(r.code, 0, command.words.join(" "));
      assert.ok(r.out.startsWith(`Usage: sentryctl ${command.words.join(" ")}`));
      const flag = await runIn([...prefix, ...command.words, "--help"]);
      assert.equal(flag.out, r.out);
    }
  }
});

test("devservices alone, --help and help devservices are not unknown commands", async () => {
  for (const argv of [["devservices", "--help"], ["help", "devservices"]]) {
    const r = await runIn(argv);
    assert.equal(r.code, 0, argv.join(" "));
    assert.match(r.out, /Commands:/);
  }
  const bare = await runIn(["devservices"]);
  assert.equal(bare.code, 2);
  assert.match(bare.err, /Commands:/);
  assert.doesNotMatch(bare.err, /unknown command/);
});

test("an unknown subcommand in help names the group and the word", async () => {
  const r = await runIn(["help", "permissions", "bogus"]);
  assert.equal(r.code, 2);
  assert.match(r.err, /unknown command 'permissions bogus'/);
});

test("a misspelled global flag is an unknown flag with the nearest one, not a command", async () => {
  const r = await runIn(["--projct", "ux1", "ps"]);
  assert.equal(r.code, 2);
  assert.match(r.err, /unknown flag '--projct'/);
  assert.match(r.err, /did you mean '--project'\?/);
  assert.doesNotMatch(r.err, /unknown command/);
  const config = await runIn(["--confg=/x", "ps"]);
  assert.equal(config.code, 2);
  assert.match(config.err, /did you mean '--config'\?/);
});

test("exec with no command is a usage error (exit 2)", async () => {
  const r = await runIn(["exec", "redis"]);
  assert.equal(r.code, 2);
  assert.match(r.err, /needs a command to run/);
});
