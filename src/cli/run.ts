// The CLI edge: parse argv, dispatch, and map every error to its exit code. The only place
// that prints errors; modules below throw `SentryctlError`.

import { InitializerChain } from "../bootstrap/chain.ts";
import type { GlobalFlags } from "../bootstrap/types.ts";
import { expandKernelShebang } from "../ci/shebang.ts";
import { isSentryctlError, usageError } from "../errors.ts";
import { echo } from "../lib/echo.ts";
import { recordCommand } from "../metrics/index.ts";
import { realClock } from "../runtime/clock.ts";
import type { ProcessInputs } from "../runtime/io.ts";
import { Telemetry } from "../telemetry/index.ts";
import { BUILD, VERSION } from "../version.ts";
import { validateProject } from "./project.ts";
import { runtimeName, runtimeVersion } from "../runtime/adapter.ts";
import { FdWriter } from "../runtime/fd-writer.ts";
import { isTerminal } from "../runtime/isatty.ts";
import { relaunchWith } from "../runtime/relaunch.ts";
import type { CommandContext } from "./command.ts";
import { COMMANDS } from "./commands/index.ts";
import { isDevservicesWord } from "./devservices/names.ts";
import { commandHelp, groupHelp, rootHelp } from "./help.ts";
import { colorEnabled, formatError } from "./output.ts";
import {
  firstWord,
  isAliasGroup,
  parseCommandArgs,
  resolveCommand,
  unknownCommand,
  unknownFlagError,
  unknownGlobalFlag,
} from "./parse.ts";
import { splitStackFlags } from "./stack-flags.ts";

/** The real process's inputs; stdout/stderr are `FdWriter`s (see src/runtime/fd-writer.ts). */
export function processInputs(): ProcessInputs & { stdout: FdWriter; stderr: FdWriter } {
  return {
    env: { ...process.env },
    // node:os only when HOME is unset: loading it is a measurable part of a short command.
    home: process.env.HOME ||
      process.getBuiltinModule("node:os").homedir(),
    cwd: process.cwd(),
    stdout: new FdWriter(1, () => process.stdout),
    stderr: new FdWriter(2, () => process.stderr),
    // Not `process.stdin.isTTY` and friends: those getters build the streams.
    stdoutIsTTY: isTerminal(1),
    stderrIsTTY: isTerminal(2),
    stdinIsTTY: isTerminal(0),
    stdin: () => process.stdin,
    signals: process,
    exit: (code) => process.exit(code),
    terminal: {
      size: () =>
        process.stdout.rows && process.stdout.columns
          ? { rows: process.stdout.rows, cols: process.stdout.columns }
          : undefined,
      onResize: (listener) => {
        process.stdout.on("resize", listener);
        return () => process.stdout.off("resize", listener);
      },
    },
    clock: realClock,
    relaunch: (extra) =>
      relaunchWith({
        execPath: process.execPath,
        argv0: process.argv0,
        argv: process.argv,
        env: process.env,
        execve: (process as { execve?: (f: string, a: string[], e: object) => never }).execve
          ?.bind(process),
      }, extra),
  };
}

export function versionText(): string {
  const { commit, target } = BUILD;
  return `sentryctl ${VERSION} (${runtimeName()} ${runtimeVersion()}; commit ${commit}; ${target})\n`;
}

export async function run(given: readonly string[], inputs: ProcessInputs): Promise<number> {
  const argv = expandKernelShebang(given);
  // Until the command's flags are parsed, only what comes before `--` is ours: in
  // `with redis -- pytest -v` the `-v` belongs to pytest.
  const own = argv.indexOf("--") >= 0 ? argv.slice(0, argv.indexOf("--")) : argv;
  const seen = { verbose: own.includes("--verbose") || own.includes("-v") };
  try {
    // getsentry/devservices' own command line (SPEC §3b); its other words are sentryctl's.
    if (argv[0] === "devservices" && isDevservicesWord(argv[1])) {
      const { runDevservices } = await import("./devservices/index.ts");
      return await runDevservices(argv.slice(1), inputs);
    }
    return await dispatch(argv, inputs, seen);
  } catch (err) {
    inputs.stderr.write(formatError(err, seen.verbose, colorEnabled(inputs, "stderr")));
    return isSentryctlError(err) ? err.exitCode : 1;
  }
}

async function dispatch(
  given: readonly string[],
  inputs: ProcessInputs,
  seen: { verbose: boolean },
): Promise<number> {
  const stack = splitStackFlags(given);
  const argv = stack.rest;
  const { command, rest, words } = resolveCommand(argv, COMMANDS);
  if (!command) return rootOnly(argv, rest, words, inputs);
  const args = parseCommandArgs(command, rest);
  seen.verbose = Boolean(args.values.verbose);
  if (args.values.help) {
    inputs.stdout.write(commandHelp(command));
    return 0;
  }
  const flags: GlobalFlags = {
    config: args.values.config as string | undefined,
    project: validateProject((args.values.project as string | undefined) ?? "sentry"),
    projectGiven: args.values.project !== undefined,
    verbose: Boolean(args.values.verbose),
    files: stack.flags.files,
    projectDirectory: stack.flags.projectDirectory,
    envFile: stack.flags.envFile,
  };
  const ctx: CommandContext = {
    inputs,
    flags,
    chain: new InitializerChain({ inputs, flags, telemetry: new Telemetry() }),
  };
  // Count and time the command; report a crash through the SDK; flush both before exit.
  const started = performance.now();
  let status = "failure";
  try {
    const code = await command.run(ctx, args);
    if (code === 0) status = "success";
    return code;
  } catch (err) {
    if (!isSentryctlError(err)) {
      status = "error";
      await captureUnexpected(err, ctx.chain);
    }
    throw err;
  } finally {
    recordCommand(command.words.join(" "), status, (performance.now() - started) / 1000);
    await flushTelemetry(ctx.chain);
  }
}

/**
 * Reports an unexpected error through the SDK. A command that stopped before the SDK step gets
 * the chain run that far first; any failure of that is swallowed (the error is printed anyway).
 */
async function captureUnexpected(err: unknown, chain: InitializerChain): Promise<void> {
  if (!chain.telemetry.sdk) {
    try {
      await chain.through("configure-sdk");
    } catch {
      return;
    }
  }
  chain.telemetry.capture(err);
}

/** Flushes events and metrics before exit, within the telemetry's bound. */
async function flushTelemetry(chain: InitializerChain): Promise<void> {
  const { telemetry } = chain;
  if (!telemetry.metrics.bound && chain.completed.includes("load-settings")) {
    // A command that loaded settings but stopped before `configure-sdk` (`config get`): its
    // metrics go to the backend its settings name. Commands that read no settings at all
    // (`init`, `config set`) have no backend to send to and are not made to load them.
    try {
      telemetry.metrics.bind(await chain.through("load-settings"));
    } catch { /* the command already reported (or did not need) the settings */ }
  }
  await telemetry.flush();
}

const ROOT_FLAGS = ["--help", "-h", "--verbose", "-v", "--version"];

/** argv without a complete command: `--version`, help, or a usage error with a suggestion. */
function rootOnly(
  argv: readonly string[],
  rest: string[],
  words: string[],
  inputs: ProcessInputs,
): number {
  const dashdash = argv.indexOf("--");
  const own = dashdash >= 0 ? argv.slice(0, dashdash) : argv;
  const wantsHelp = own.includes("--help") || own.includes("-h");
  if (words.length > 0) {
    // A group typed without (or with an unknown) subcommand, e.g. `sentryctl config`: its
    // subcommands on stdout when asked for, on stderr with exit 2 when one is missing.
    const sub = rest.find((t) => !t.startsWith("-"));
    if (sub === undefined) return printGroupHelp(words[0]!, wantsHelp, inputs);
    throw unknownCommand(sub, COMMANDS, words);
  }
  const word = firstWord(argv);
  if (word !== undefined && isAliasGroup(word)) {
    // `sentryctl devservices` alone: every command is available under it.
    (wantsHelp ? inputs.stdout : inputs.stderr).write(rootHelp(COMMANDS));
    return wantsHelp ? 0 : 2;
  }
  if (word === "help") return helpFor(argv.slice(argv.indexOf("help") + 1), inputs);
  const misspelled = unknownGlobalFlag(argv);
  if (misspelled !== undefined) throw unknownFlagError(misspelled);
  if (word !== undefined) throw unknownCommand(word, COMMANDS);
  const unknownFlag = own.find((a) => a.startsWith("-") && !ROOT_FLAGS.includes(a));
  if (unknownFlag && !/^--(config|project)(=|$)/.test(unknownFlag)) {
    throw usageError(`unknown flag '${echo(unknownFlag)}'`, { hint: "see 'sentryctl --help'" });
  }
  if (own.includes("--version")) {
    inputs.stdout.write(versionText());
    return 0;
  }
  inputs.stdout.write(rootHelp(COMMANDS));
  return 0;
}

function printGroupHelp(group: string, asked: boolean, inputs: ProcessInputs): number {
  (asked ? inputs.stdout : inputs.stderr).write(groupHelp(group, COMMANDS));
  return asked ? 0 : 2;
}

function helpFor(given: string[], inputs: ProcessInputs): number {
  const words = given.filter((w) => !w.startsWith("-"));
  const { command, words: matched } = resolveCommand(words, COMMANDS);
  if (!command) {
    if (words.length === 0 || (words.length === 1 && isAliasGroup(words[0]!))) {
      inputs.stdout.write(rootHelp(COMMANDS));
      return 0;
    }
    const typed = isAliasGroup(words[0]!) ? words.slice(1) : words;
    if (matched.length > 0 && typed.length === matched.length) {
      return printGroupHelp(matched[0]!, true, inputs);
    }
    throw unknownCommand(typed[matched.length]!, COMMANDS, matched);
  }
  inputs.stdout.write(commandHelp(command));
  return 0;
}
