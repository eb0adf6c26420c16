// The flag grammar of every command, strict: `--name`, `--name=VALUE`, `--name VALUE`, `-x`,
// `-x VALUE`, `-xVALUE`, grouped booleans `-vh`, repeatable flags collected in order, optional
// values (`--status` or `--status=ADDR`), and `--` ending the flags. It reads argv as node:util's parseArgs does in strict mode, without loading
// node:util, which was a measurable part of a short command's start-up.

import type { OptionSpec } from "./command.ts";

export type FlagValues = Record<string, string | boolean | string[] | boolean[] | undefined>;

export interface ParsedFlags {
  values: FlagValues;
  positionals: string[];
}

/** Why argv does not parse; `flag` is the token as typed. */
export class FlagError extends Error {
  constructor(
    readonly kind: "unknown" | "missing-value" | "ambiguous-value" | "unexpected-value",
    readonly flag: string,
  ) {
    super(
      kind === "unknown"
        ? `unknown flag '${flag}'`
        : kind === "missing-value"
        ? `'${flag}' needs a value`
        : kind === "ambiguous-value"
        ? `'${flag}' needs a value (to pass one that starts with '-', write '${flag}=-…')`
        : `'${flag}' takes no value`,
    );
  }
}

export function parseFlags(
  args: readonly string[],
  specs: Readonly<Record<string, OptionSpec>>,
  allowPositionals = true,
): ParsedFlags {
  const values: FlagValues = {};
  const positionals: string[] = [];
  const byShort = new Map<string, string>();
  for (const [name, spec] of Object.entries(specs)) if (spec.short) byShort.set(spec.short, name);

  const set = (name: string, value: string | boolean) => {
    if (!specs[name]!.multiple) {
      values[name] = value;
      return;
    }
    const list = (values[name] ?? []) as (string | boolean)[];
    list.push(value);
    values[name] = list as string[] | boolean[];
  };
  /** The value of a string flag from the next token; `-` alone is a value, `-x` is not. */
  const next = (i: number, flag: string): string => {
    const value = args[i];
    if (value === undefined) throw new FlagError("missing-value", flag);
    if (value.startsWith("-") && value !== "-") throw new FlagError("ambiguous-value", flag);
    return value;
  };
  const positional = (token: string) => {
    if (!allowPositionals) throw new FlagError("unknown", token);
    positionals.push(token);
  };

  for (let i = 0; i < args.length; i++) {
    const token = args[i]!;
    if (token === "--") {
      for (const rest of args.slice(i + 1)) positional(rest);
      break;
    }
    if (token.startsWith("--")) {
      const eq = token.indexOf("=");
      const name = eq < 0 ? token.slice(2) : token.slice(2, eq);
      const spec = Object.hasOwn(specs, name) ? specs[name] : undefined;
      if (!spec) throw new FlagError("unknown", eq < 0 ? token : token.slice(0, eq));
      if (spec.type === "boolean") {
        if (eq >= 0) throw new FlagError("unexpected-value", `--${name}`);
        set(name, true);
      } else if (eq >= 0) {
        set(name, token.slice(eq + 1));
      } else {
        set(name, spec.optionalValue ? "" : next(++i, token));
      }
      continue;
    }
    if (token.startsWith("-") && token !== "-") {
      // `-vh`: booleans; a string flag takes the rest of the token, or the next one.
      for (let j = 1; j < token.length; j++) {
        const name = byShort.get(token[j]!);
        if (name === undefined) throw new FlagError("unknown", `-${token[j]}`);
        if (specs[name]!.type === "boolean") {
          set(name, true);
          continue;
        }
        set(name, j + 1 < token.length ? token.slice(j + 1) : next(++i, `-${token[j]}`));
        break;
      }
      continue;
    }
    positional(token);
  }
  return { values, positionals };
}
