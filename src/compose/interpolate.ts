// Compose's variable interpolation: `$VAR`, `${VAR}`, `${VAR:-d}`, `${VAR-d}`, `${VAR:?e}`,
// `${VAR?e}`, `${VAR:+a}`, `${VAR+a}` and `$$`, with defaults that may themselves hold
// variables. Only the `${…}` is replaced: in `--${X:+no-workers}` an unset X leaves `--`.
// An unset variable without a default reads as an empty string with a warning, as compose.

export class InterpolationError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

export interface Interpolation {
  lookup(name: string): string | undefined;
  /** Called once per use of an unset variable that has no default (`at`: where it is used). */
  unset(name: string, at?: { file: string; line: number }): void;
}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;

export function interpolate(text: string, vars: Interpolation, base = 0): string {
  if (!text.includes("$")) return text;
  let out = "";
  let i = 0;
  while (i < text.length) {
    const dollar = text.indexOf("$", i);
    if (dollar < 0) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, dollar);
    const next = text[dollar + 1];
    if (next === "$") {
      out += "$";
      i = dollar + 2;
    } else if (next === "{") {
      const end = closingBrace(text, dollar + 2, base);
      out += braced(text.slice(dollar + 2, end), vars, base + dollar);
      i = end + 1;
    } else if (next !== undefined && NAME_START.test(next)) {
      let j = dollar + 1;
      while (j < text.length && NAME_CHAR.test(text[j]!)) j++;
      out += value(text.slice(dollar + 1, j), vars);
      i = j;
    } else {
      throw new InterpolationError(
        `invalid interpolation format: '$' must be followed by a name, '{' or '$' (write '$$' for a literal '$')`,
        base + dollar,
      );
    }
  }
  return out;
}

/** The index of the `}` closing a `${` whose body starts at `from` (nested `${…}` skipped). */
function closingBrace(text: string, from: number, base: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    const ch = text[i];
    if (ch === "$" && text[i + 1] === "$") i++;
    else if (ch === "$" && text[i + 1] === "{") {
      depth++;
      i++;
    } else if (ch === "}" && --depth === 0) return i;
  }
  throw new InterpolationError(
    "invalid interpolation format: '${' without a closing '}'",
    base + from - 2,
  );
}

function value(name: string, vars: Interpolation): string {
  const found = vars.lookup(name);
  if (found === undefined) {
    vars.unset(name);
    return "";
  }
  return found;
}

/** The inside of `${…}`; `at` is the offset of its `$` for errors. */
function braced(body: string, vars: Interpolation, at: number): string {
  let n = 0;
  while (n < body.length && NAME_CHAR.test(body[n]!)) n++;
  const name = body.slice(0, n);
  if (name === "" || !NAME_START.test(name[0]!)) {
    throw new InterpolationError(
      `invalid interpolation format: '\${${body}}' has no valid variable name`,
      at,
    );
  }
  const rest = body.slice(n);
  if (rest === "") return value(name, vars);
  const colon = rest.startsWith(":");
  const op = rest[colon ? 1 : 0];
  const arg = rest.slice(colon ? 2 : 1);
  if (op !== "-" && op !== "?" && op !== "+") {
    throw new InterpolationError(
      `invalid interpolation format: unexpected '${rest[0]}' in '\${${body}}'`,
      at,
    );
  }
  const found = vars.lookup(name);
  // With ':' an empty value counts as unset.
  const set = found !== undefined && (!colon || found !== "");
  if (op === "-") return set ? found! : interpolate(arg, vars, at + 2 + n + (colon ? 2 : 1));
  if (op === "+") return set ? interpolate(arg, vars, at + 2 + n + (colon ? 2 : 1)) : "";
  if (set) return found!;
  const reason = interpolate(arg, vars, at + 2 + n + (colon ? 2 : 1));
  throw new InterpolationError(
    `required variable ${name} is missing a value${reason ? `: ${reason}` : ""}`,
    at,
  );
}
