// getsentry/devservices' command line (SPEC §3b): what runs when the binary is invoked as
// `devservices` (a link; the basename decides) or as `sentryctl devservices COMMAND`. Its own
// grammar (argparse's: `-c/--config` and `--version` before the command), its messages, and its
// exit codes: every failure exits 1, "nothing to do" exits 0. Commands devservices lacks
// (attach, rm, ps, exec, healthcheck, doctor) stay sentryctl's and never reach this module.

import { isSentryctlError } from "../../errors.ts";
import type { ProcessInputs } from "../../runtime/io.ts";
import { colorEnabled, paint } from "../../runtime/terminal.ts";
import { VERSION } from "../../version.ts";
import type { OptionSpec } from "../command.ts";
import { FlagError, parseFlags } from "../flags.ts";
import type { DevCommand, DevContext } from "./context.ts";
import { DEV_COMMANDS } from "./commands.ts";

function usage(): string {
  const lines = [
    "usage: devservices [-h] [--version] [-c CONFIG] COMMAND ...",
    "",
    "Commands:",
    ...DEV_COMMANDS.filter((c) => !c.hidden).map((c) => `  ${c.name.padEnd(18)} ${c.summary}`),
    "",
    "sentryctl's own commands (attach, rm, ps, exec, healthcheck, doctor) work here too.",
  ];
  return lines.join("\n") + "\n";
}

function commandUsage(cmd: DevCommand): string {
  const flags = Object.entries(cmd.options ?? {}).map(([name, spec]) =>
    `  ${spec.short ? `-${spec.short}, ` : ""}--${name}${spec.value ? ` ${spec.value}` : ""}`
      .padEnd(28) + ` ${spec.help}`
  );
  return [
    `usage: devservices ${cmd.name}${cmd.args ? ` ${cmd.args}` : ""}`,
    "",
    cmd.summary,
    ...(flags.length ? ["", "options:", ...flags] : []),
  ].join("\n") + "\n";
}

/** Runs devservices' command line; returns the exit code. `argv` excludes the program name. */
export async function runDevservices(argv: readonly string[], inputs: ProcessInputs) {
  const color = colorEnabled(inputs, "stderr");
  const say = (text: string) => inputs.stderr.write(text.endsWith("\n") ? text : `${text}\n`);
  let configFile: string | undefined;
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--version") {
      inputs.stdout.write(`devservices ${VERSION} (sentryctl)\n`);
      return 0;
    }
    if (a === "-h" || a === "--help") {
      inputs.stdout.write(usage());
      return 0;
    }
    if (a === "-c" || a === "--config") {
      configFile = argv[++i];
      if (configFile === undefined) {
        say(`devservices: error: argument -c/--config: expected one argument`);
        return 2;
      }
      continue;
    }
    if (a.startsWith("--config=")) {
      configFile = a.slice("--config=".length);
      continue;
    }
    break;
  }
  const word = argv[i];
  if (word === undefined) {
    // argparse: the command is required.
    inputs.stderr.write(usage());
    return 2;
  }
  const cmd = DEV_COMMANDS.find((c) => c.name === word || c.aliases?.includes(word));
  if (!cmd) {
    say(`devservices: error: argument COMMAND: invalid choice: '${word}'`);
    inputs.stderr.write(usage());
    return 2;
  }
  const rest = argv.slice(i + 1);
  let values: Record<string, unknown>;
  let positionals: string[];
  try {
    if (cmd.passThrough) {
      values = {};
      positionals = [...rest];
    } else {
      const specs: Record<string, OptionSpec> = {
        ...cmd.options,
        help: { type: "boolean", short: "h", help: "show this help" },
        debug: { type: "boolean", help: "more output" },
      };
      const parsed = parseFlags(rest, specs);
      values = parsed.values;
      positionals = parsed.positionals;
    }
  } catch (err) {
    if (!(err instanceof FlagError)) throw err;
    say(`devservices ${cmd.name}: error: ${err.message}`);
    return 2;
  }
  if (values.help) {
    inputs.stdout.write(commandUsage(cmd));
    return 0;
  }
  const [min, max] = cmd.positionals ?? [0, 0];
  if (positionals.length < min || positionals.length > max) {
    say(`devservices ${cmd.name}: error: expected ${cmd.args ?? "no arguments"}`);
    inputs.stderr.write(commandUsage(cmd));
    return 2;
  }
  const ctx: DevContext = {
    inputs,
    configFile,
    values,
    positionals,
    color,
    info: (line) => say(line),
    warn: (line) => say(paint(color, "yellow", line)),
    success: (line) => say(paint(color, "green", line)),
  };
  try {
    return await cmd.run(ctx);
  } catch (err) {
    if (!isSentryctlError(err)) throw err;
    // devservices prints its failures as they are, red, and exits 1 whatever went wrong.
    say(paint(color, "red", err.message));
    if (err.details) say(err.details);
    if (err.hint) say(`hint: ${err.hint}`);
    return 1;
  }
}
