// The CLI edge: parse argv, dispatch, and map every error to its exit code. The only place
// that prints errors; modules below throw `SentryctlError`.

import { homedir } from "node:os";
import { InitializerChain } from "../bootstrap/chain.ts";
import type { GlobalFlags, ProcessInputs } from "../bootstrap/context.ts";
import { isSentryctlError, usageError } from "../errors.ts";
import { VERSION } from "../version.ts";
import { runtimeName, runtimeVersion } from "../runtime/adapter.ts";
import type { CommandContext } from "./command.ts";
import { COMMANDS } from "./commands/index.ts";
import { commandHelp, rootHelp } from "./help.ts";
import { colorEnabled, formatError } from "./output.ts";
import { firstWord, parseCommandArgs, resolveCommand, unknownCommand } from "./parse.ts";

export function processInputs(): ProcessInputs {
  return {
    env: { ...process.env },
    home: process.env.HOME || homedir(),
    cwd: process.cwd(),
    stdout: process.stdout,
    stderr: process.stderr,
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    stdinIsTTY: Boolean(process.stdin.isTTY),
  };
}

export function versionText(): string {
  return `sentryctl ${VERSION} (${runtimeName()} ${runtimeVersion()})\n`;
}

export async function run(argv: readonly string[], inputs: ProcessInputs): Promise<number> {
  const verbose = argv.includes("--verbose") || argv.includes("-v");
  try {
    return await dispatch(argv, inputs);
  } catch (err) {
    inputs.stderr.write(formatError(err, verbose, colorEnabled(inputs, "stderr")));
    return isSentryctlError(err) ? err.exitCode : 1;
  }
}

async function dispatch(argv: readonly string[], inputs: ProcessInputs): Promise<number> {
  const { command, rest, words } = resolveCommand(argv, COMMANDS);
  if (!command) {
    if (argv[0] === "--version" || (argv.includes("--version") && !firstWord(argv))) {
      inputs.stdout.write(versionText());
      return 0;
    }
    const word = firstWord(argv);
    if (word === "help") return helpFor(argv.slice(argv.indexOf("help") + 1), inputs);
    if (!word || argv.includes("--help") || argv.includes("-h")) {
      if (!word) {
        const unknownFlag = argv.find((a) =>
          a.startsWith("-") && !["--help", "-h", "--verbose", "-v"].includes(a)
        );
        if (unknownFlag && !argv.includes("--help") && !argv.includes("-h")) {
          throw usageError(`unknown flag '${unknownFlag}'`, { hint: "see 'sentryctl --help'" });
        }
      }
      if (!word || words.length === 0) {
        inputs.stdout.write(rootHelp(COMMANDS));
        return word ? 2 : argv.length === 0 ? 2 : 0;
      }
    }
    throw unknownCommand(
      words.length > 0 ? (rest.find((t) => !t.startsWith("-")) ?? "") : word,
      COMMANDS,
      words,
    );
  }
  const args = parseCommandArgs(command, rest);
  if (args.values.help) {
    inputs.stdout.write(commandHelp(command));
    return 0;
  }
  const flags: GlobalFlags = {
    config: args.values.config as string | undefined,
    project: (args.values.project as string | undefined) ?? "sentry",
    verbose: Boolean(args.values.verbose),
  };
  const ctx: CommandContext = {
    inputs,
    flags,
    chain: new InitializerChain({ inputs, flags }),
    argv0: "sentryctl",
  };
  return await command.run(ctx, args);
}

function helpFor(words: string[], inputs: ProcessInputs): number {
  const { command } = resolveCommand(words, COMMANDS);
  if (!command) {
    if (words.length === 0) {
      inputs.stdout.write(rootHelp(COMMANDS));
      return 0;
    }
    throw unknownCommand(words[0]!, COMMANDS);
  }
  inputs.stdout.write(commandHelp(command));
  return 0;
}
