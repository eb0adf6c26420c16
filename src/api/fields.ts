// The request body of `sentryctl api`, the way `gh api` builds it: `-f key=value` adds a string,
// `-F key=value` a typed value (true, false, null, integers and decimals become JSON; `@FILE`
// reads the value from a file, `@-` from stdin); both go into one JSON object. `-d JSON` and
// `--input FILE` give the whole body instead.

import { usageError } from "../errors.ts";

export interface FieldInput {
  raw: string[];
  typed: string[];
  /** Reads `@FILE` values; `-` is stdin. */
  readFile(path: string): string;
}

function split(arg: string, flag: string): [string, string] {
  const eq = arg.indexOf("=");
  if (eq <= 0) {
    throw usageError(`${flag} expects key=value, got '${arg}'`, {
      hint: `e.g. ${flag} state=stopped`,
    });
  }
  return [arg.slice(0, eq), arg.slice(eq + 1)];
}

/** gh's conversion of a `-F` value. */
export function typedValue(value: string, readFile: (path: string) => string): unknown {
  if (value === "true") return true;
  if (value === "false") return false;
  if (value === "null") return null;
  if (/^-?(0|[1-9][0-9]*)$/.test(value)) {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : value;
  }
  if (/^-?(0|[1-9][0-9]*)\.[0-9]+$/.test(value)) return Number(value);
  if (value.startsWith("@")) return readFile(value.slice(1));
  return value;
}

/** The fields as one object, or undefined when none were given. */
export function buildFields(input: FieldInput): Record<string, unknown> | undefined {
  if (input.raw.length === 0 && input.typed.length === 0) return undefined;
  const body: Record<string, unknown> = {};
  for (const arg of input.raw) {
    const [key, value] = split(arg, "-f");
    body[key] = value;
  }
  for (const arg of input.typed) {
    const [key, value] = split(arg, "-F");
    body[key] = typedValue(value, input.readFile);
  }
  return body;
}
