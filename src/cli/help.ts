// Help text, derived from the command table so it never drifts from what is parsed.

import { type Command, GLOBAL_OPTIONS, type OptionSpec } from "./command.ts";
import { usageLine } from "./parse.ts";

function optionLines(options: Record<string, OptionSpec>): string[] {
  const rows = Object.entries(options).map(([name, spec]) => {
    const short = spec.short ? `-${spec.short}, ` : "    ";
    const value = spec.type !== "string"
      ? ""
      : spec.optionalValue
      ? `[=${spec.value ?? "VALUE"}]`
      : ` ${spec.value ?? "VALUE"}`;
    return [`  ${short}--${name}${value}`, spec.help] as const;
  });
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  return rows.map(([left, help]) => left.padEnd(width) + help);
}

export function rootHelp(commands: readonly Command[]): string {
  const visible = commands.map((c) => [c.words.join(" "), c.summary] as const);
  const width = Math.max(...visible.map(([w]) => w.length)) + 4;
  return [
    "sentryctl: run a Sentry development stack as Docker containers, from one binary.",
    "",
    "Usage: sentryctl [--config DIR] [--project NAME] [-f FILE]… COMMAND [ARGS…]",
    "",
    "Commands:",
    ...visible.map(([w, s]) => `  ${w.padEnd(width)}${s}`),
    "",
    "Every command is also available as 'sentryctl devservices COMMAND'.",
    "",
    "Global flags:",
    ...optionLines(GLOBAL_OPTIONS),
    "      --version       print the version",
    "",
    "Stack flags (before COMMAND only; after it, -f is the command's own, as in 'logs -f'):",
    "  -f, --file FILE             a compose-format project file; repeat to merge files in order",
    "                              (default ./devservices/config.yml, else the built-in catalog)",
    "      --project-directory DIR paths and .env are relative to DIR (default: the first file's)",
    "      --env-file FILE         variables for interpolation instead of the project's .env",
    "",
    "Run 'sentryctl COMMAND --help' for a command's flags.",
    "",
  ].join("\n");
}

export function commandHelp(command: Command): string {
  const lines = [`Usage: sentryctl ${usageLine(command)}`, "", command.summary];
  if (command.description) lines.push("", command.description);
  if (command.options && Object.keys(command.options).length > 0) {
    lines.push("", "Flags:", ...optionLines(command.options));
  }
  lines.push("", "Global flags:", ...optionLines(GLOBAL_OPTIONS), "");
  return lines.join("\n");
}

/** A command group's subcommands, one line each (`sentryctl permissions --help`). */
export function groupHelp(group: string, commands: readonly Command[]): string {
  const subs = commands.filter((c) => c.words.length > 1 && c.words[0] === group);
  const rows = subs.map((c) => [c.words.slice(1).join(" "), c.summary] as const);
  const width = Math.max(...rows.map(([w]) => w.length)) + 4;
  return [
    `Usage: sentryctl ${group} SUBCOMMAND [ARGS…]`,
    "",
    "Subcommands:",
    ...rows.map(([w, s]) => `  ${w.padEnd(width)}${s}`),
    "",
    `Run 'sentryctl ${group} SUBCOMMAND --help' for a subcommand's flags.`,
    "",
  ].join("\n");
}
