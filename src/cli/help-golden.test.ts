// Golden test of every help text: the root, each command and each group. A change to a flag, a
// summary or the layout shows up as a diff of src/cli/testdata/help.golden; after checking it,
// refresh the file with `UPDATE_GOLDEN=1 bun test src/cli/help-golden.test.ts`.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { COMMANDS } from "./commands/index.ts";
import { commandHelp, groupHelp, rootHelp } from "./help.ts";
import { run } from "./run.ts";
import { captureInputs } from "../../tests/helpers/process-inputs.ts";

const GOLDEN = new URL("./testdata/help.golden", import.meta.url);

/** What `sentryctl ARGS` prints on stdout (devservices' own command line is not in COMMANDS). */
async function printed(args: string[]): Promise<string> {
  const inputs = captureInputs(
    { HOME: "/nonexistent-home-for-test" },
    "/nonexistent-home-for-test",
  );
  assert.equal(await run(args, inputs), 0, args.join(" "));
  return inputs.out.join("");
}

const DEVSERVICES = [
  "up",
  "down",
  "status",
  "logs",
  "list-services",
  "list-dependencies",
  "toggle",
  "reset",
  "purge",
  // `serve ARGS…` hands every argument, --help included, to the devserver program.
  "foreground",
];

async function devservicesHelp(): Promise<string[][]> {
  const parts = [["sentryctl devservices --help", await printed(["devservices", "--help"])]];
  for (const c of DEVSERVICES) {
    parts.push([`sentryctl devservices ${c} --help`, await printed(["devservices", c, "--help"])]);
  }
  return parts;
}

function everyHelp(extra: string[][] = []): string {
  const groups = [...new Set(COMMANDS.filter((c) => c.words.length > 1).map((c) => c.words[0]!))];
  const parts = [
    ["sentryctl --help", rootHelp(COMMANDS)],
    ...groups.map((g) => [`sentryctl ${g} --help`, groupHelp(g, COMMANDS)]),
    ...COMMANDS.map((c) => [`sentryctl ${c.words.join(" ")} --help`, commandHelp(c)]),
    ...extra,
  ];
  return parts.map(([title, text]) => `===== ${title}\n${text}`).join("\n");
}

test("help of the root, every group and every command matches the golden file", async () => {
  const actual = everyHelp(await devservicesHelp());
  for (const c of DEVSERVICES) assert.match(actual, new RegExp(`usage: devservices ${c}`));
  if (process.env.UPDATE_GOLDEN === "1") writeFileSync(GOLDEN, actual);
  assert.equal(actual, readFileSync(GOLDEN, "utf8"));
});

test("no help text points at a repository path a user of the binary does not have", () => {
  assert.doesNotMatch(everyHelp(), /\b(schemas|src|scripts|tests)\/\S+/);
});
