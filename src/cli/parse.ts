// argv → (command, options, positionals), flags read by ./flags.ts. Unknown commands and
// flags become usage errors (exit 2) with a suggestion.

import { FlagError, parseFlags } from "./flags.ts";
import { usageError } from "../errors.ts";
import { echo } from "../lib/echo.ts";
import { type Command, GLOBAL_OPTIONS, type OptionSpec, type ParsedArgs } from "./command.ts";
import { suggest } from "../lib/suggest.ts";

/** Group words whose own word is not a command: `devservices attach` is `attach`. */
const ALIAS_GROUPS = new Set(["devservices"]);

export interface Resolved {
  command?: Command;
  /** argv without the command words. */
  rest: string[];
  /** The words consumed, for error messages. */
  words: string[];
}

/** A global flag written as `--name VALUE` (or `-x VALUE`): the next word is its value. */
function valuedGlobal(token: string): boolean {
  if (token.includes("=")) return false;
  const spec = token.startsWith("--")
    ? GLOBAL_OPTIONS[token.slice(2)]
    : Object.values(GLOBAL_OPTIONS).find((s) => s.short !== undefined && `-${s.short}` === token);
  return spec?.type === "string";
}

/** `devservices` alone (the alias group), for help. */
export function isAliasGroup(word: string): boolean {
  return ALIAS_GROUPS.has(word);
}

/**
 * The tokens before a `--`, with their indexes, where command words and global flags may be;
 * a global flag that takes a separate value (`--project ux1`) is passed over with its value.
 */
function* leadingTokens(argv: readonly string[]): Iterable<[string, number]> {
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === "--") return;
    if (valuedGlobal(token)) {
      i++;
      continue;
    }
    yield [token, i];
  }
}

/**
 * The first flag before the command words that is not a global flag (`--projct ux1 ps`), so it
 * is reported as a misspelled flag rather than its value taken for a command.
 */
export function unknownGlobalFlag(argv: readonly string[]): string | undefined {
  for (const [token] of leadingTokens(argv)) {
    if (!token.startsWith("-") || token === "-") return undefined;
    if (!isGlobalFlag(token)) return token;
  }
  return undefined;
}

function isGlobalFlag(token: string): boolean {
  if (token === "--version") return true;
  if (token.startsWith("--")) return token.slice(2).split("=")[0]! in GLOBAL_OPTIONS;
  return Object.values(GLOBAL_OPTIONS).some((s) =>
    s.short !== undefined && `-${s.short}` === token
  );
}

/** A usage error for a misspelled global flag, with the nearest one suggested. */
export function unknownFlagError(flag: string) {
  const guess = suggest(flag.replace(/^-+/, "").split("=")[0]!, [
    ...Object.keys(GLOBAL_OPTIONS),
    "version",
  ]);
  return usageError(`unknown flag '${echo(flag)}'`, {
    hint: guess ? `did you mean '--${guess}'? (see 'sentryctl --help')` : "see 'sentryctl --help'",
  });
}

/** Finds the command words in argv; global flags may come before them. */
export function resolveCommand(argv: readonly string[], commands: readonly Command[]): Resolved {
  const words: string[] = [];
  const wordIndexes: number[] = [];
  for (const [token, i] of leadingTokens(argv)) {
    if (token.startsWith("-")) continue;
    if (ALIAS_GROUPS.has(token) && words.length === 0) {
      wordIndexes.push(i);
      continue;
    }
    const candidate = [...words, token];
    const isPrefix = commands.some((c) => startsWith(c.words, candidate));
    if (!isPrefix) break;
    words.push(token);
    wordIndexes.push(i);
    if (
      commands.some((c) => sameWords(c.words, words)) &&
      !commands.some((c) => c.words.length > words.length && startsWith(c.words, words))
    ) break;
  }
  const command = commands.find((c) => sameWords(c.words, words));
  const rest = argv.filter((_, i) => !wordIndexes.includes(i));
  return { command, rest, words };
}

function startsWith(words: readonly string[], prefix: readonly string[]): boolean {
  return prefix.every((w, i) => words[i] === w);
}
function sameWords(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && startsWith(a, b);
}

/** The first bare word the user typed, for "unknown command" messages. */
export function firstWord(argv: readonly string[]): string | undefined {
  for (const [token] of leadingTokens(argv)) {
    if (!token.startsWith("-")) return token;
  }
  return undefined;
}

export function unknownCommand(word: string, commands: readonly Command[], prefix: string[] = []) {
  const candidates = [
    ...new Set(
      commands.filter((c) => startsWith(c.words, prefix)).map((c) => c.words[prefix.length]!),
    ),
  ];
  const guess = suggest(word, candidates);
  const shown = echo([...prefix, word].join(" "));
  return usageError(`unknown command '${shown}'`, {
    hint: guess
      ? `did you mean '${[...prefix, guess].join(" ")}'? (see 'sentryctl --help')`
      : "see 'sentryctl --help' for the list of commands",
  });
}

/** Parses a command's flags and positionals (global flags are accepted anywhere). */
export function parseCommandArgs(command: Command, argv: readonly string[]): ParsedArgs {
  const specs: Record<string, OptionSpec> = { ...GLOBAL_OPTIONS, ...command.options };
  const { own, rest } = splitOwnArgs(command, specs, argv);
  let parsed;
  try {
    parsed = parseFlags(own, specs);
  } catch (err) {
    if (err instanceof FlagError) throw flagUsageError(err, command, specs);
    throw err;
  }
  const positionals = parsed.positionals;
  const { min, max } = command.positionals ?? { min: 0, max: 0 };
  const name = command.words.join(" ");
  const wantsHelp = parsed.values.help === true;
  if (positionals.length < min && !wantsHelp) {
    throw usageError(`'${name}' needs ${command.args ?? "more arguments"}`, {
      hint: `usage: sentryctl ${usageLine(command)}`,
    });
  }
  if (positionals.length > max && !wantsHelp) {
    throw usageError(`unexpected argument '${echo(positionals[max]!)}' for '${name}'`, {
      hint: `usage: sentryctl ${usageLine(command)}`,
    });
  }
  const values = { ...parsed.values } as ParsedArgs["values"];
  for (const [key, spec] of Object.entries(specs)) {
    if (values[key] === undefined && spec.default !== undefined) values[key] = spec.default;
  }
  return { values, positionals, rest };
}

/** The command's own flags versus what belongs to the program it runs. */
function splitOwnArgs(
  command: Command,
  specs: Record<string, OptionSpec>,
  argv: readonly string[],
): { own: string[]; rest: string[] } {
  if (
    command.acceptsRest && command.restAfterPositionals !== undefined && !argv.includes("--")
  ) {
    const at = implicitRest(argv, command.restAfterPositionals, specs);
    if (at < 0) return { own: [...argv], rest: [] };
    return { own: argv.slice(0, at + 1), rest: argv.slice(at + 1) };
  }
  if (command.restFromFirstPositional) {
    for (let i = 0; i < argv.length; i++) {
      const token = argv[i]!;
      if (token === "--") return { own: argv.slice(0, i), rest: argv.slice(i + 1) };
      if (!token.startsWith("-") || token === "-") {
        return { own: argv.slice(0, i), rest: argv.slice(i) };
      }
      if (takesValue(token, specs)) i++;
    }
    return { own: [...argv], rest: [] };
  }
  const dashdash = argv.indexOf("--");
  if (dashdash < 0 || !command.acceptsRest) return { own: [...argv], rest: [] };
  return { own: argv.slice(0, dashdash), rest: argv.slice(dashdash + 1) };
}

/** `--name VALUE` or `-x VALUE` of a string option (not `--name=VALUE`). */
function takesValue(token: string, specs: Record<string, OptionSpec>): boolean {
  if (token.includes("=")) return false;
  const spec = token.startsWith("--")
    ? specs[token.slice(2)]
    : Object.values(specs).find((s) => s.short === token.slice(-1));
  return spec?.type === "string";
}

/**
 * The index of the token that ends our own arguments when a command runs another program
 * without `--`: the `count`-th positional (it stays ours; what follows is the program's).
 */
function implicitRest(
  argv: readonly string[],
  count: number,
  specs: Record<string, OptionSpec>,
): number {
  const byShort = new Map(
    Object.entries(specs).filter(([, s]) => s.short).map(([n, s]) => [s.short!, n]),
  );
  let seen = 0;
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token.startsWith("-") && token !== "-") {
      const name = token.startsWith("--") ? token.slice(2) : byShort.get(token.slice(1)) ?? "";
      if (!token.includes("=") && specs[name]?.type === "string") i++;
      continue;
    }
    if (++seen === count) return i + 1 < argv.length ? i : -1;
  }
  return -1;
}

function flagUsageError(err: FlagError, command: Command, specs: Record<string, OptionSpec>) {
  const name = command.words.join(" ");
  if (err.kind === "unknown") {
    const guess = suggest(err.flag.replace(/^-+/, ""), Object.keys(specs));
    return usageError(`unknown flag '${echo(err.flag)}' for '${name}'`, {
      hint: guess ? `did you mean '--${guess}'?` : `see 'sentryctl ${name} --help'`,
    });
  }
  const what = err.kind === "missing-value"
    ? "needs a value"
    : err.kind === "ambiguous-value"
    ? `needs a value (to pass one that starts with '-', write '${echo(err.flag)}=-…')`
    : "takes no value";
  return usageError(`${echo(err.flag)} for '${name}' ${what}`, {
    hint: `see 'sentryctl ${name} --help'`,
  });
}

export function usageLine(command: Command): string {
  const flags = command.options && Object.keys(command.options).length > 0 ? " [flags]" : "";
  const args = command.args ? ` ${command.args}` : "";
  const rest = command.acceptsRest ? " -- CMD [ARGS…]" : "";
  return `${command.words.join(" ")}${args}${flags}${rest}`;
}
