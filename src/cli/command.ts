// The shape of a command: its words, flags, positionals and help text, plus `run`. Commands
// are plain data so help, parsing and suggestions are derived from one table.

import type { InitializerChain } from "../bootstrap/chain.ts";
import type { GlobalFlags } from "../bootstrap/types.ts";
import type { ProcessInputs } from "../runtime/io.ts";

export interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
  multiple?: boolean;
  default?: string | boolean;
  /** Placeholder shown in help, e.g. `DUR`. */
  value?: string;
  /**
   * A string flag whose value is optional: `--status` alone reads as `""`, a value comes only
   * as `--status=ADDR` (the next word is never taken), as git's `--color[=WHEN]`.
   */
  optionalValue?: boolean;
  help: string;
}

export type OptionValues = Record<string, string | boolean | string[] | boolean[] | undefined>;

export interface ParsedArgs {
  values: OptionValues;
  positionals: string[];
  /** Everything after a literal `--`, for commands that run another program. */
  rest: string[];
}

export interface CommandContext {
  inputs: ProcessInputs;
  flags: GlobalFlags;
  chain: InitializerChain;
}

export interface Command {
  /** Words that select the command, e.g. `["config", "show"]`. */
  words: string[];
  summary: string;
  /** Positional part of the usage line, e.g. `SERVICE`. */
  args?: string;
  description?: string;
  options?: Record<string, OptionSpec>;
  positionals?: { min: number; max: number };
  /** Accepts `-- CMD ARGS…`. */
  acceptsRest?: boolean;
  /**
   * `FILE ARGS…`: flags end at the first positional; it and everything after go to `rest`
   * untouched (`sentryctl run script.sh -v` passes `-v` to the script).
   */
  restFromFirstPositional?: boolean;
  /**
   * With `acceptsRest`: after this many positionals the rest is the command even without `--`
   * (`exec redis redis-cli -p 1`, as `docker exec` reads it).
   */
  restAfterPositionals?: number;
  run(ctx: CommandContext, args: ParsedArgs): Promise<number>;
}

export const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  config: {
    type: "string",
    value: "DIR",
    help: "configuration directory (default $SENTRY_CONF or ~/.sentry)",
  },
  project: {
    type: "string",
    value: "NAME",
    help: "project name: container prefix, network, volume prefix (default sentry)",
  },
  verbose: { type: "boolean", short: "v", help: "show stack traces and debug detail" },
  help: { type: "boolean", short: "h", help: "show help" },
};
