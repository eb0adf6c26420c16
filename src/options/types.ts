// Option types, as Sentry's `sentry.utils.types`: each has a name (its `repr`), a type test on
// the Python type of a value, and a coercion from a command-line string (`config set`).

import { loadedYaml } from "../formats/yaml-lib.ts";
import { type PyTypeName, pyTypeOf, reprString } from "../lib/python.ts";

export type OptionTypeName =
  | "any"
  | "boolean"
  | "integer"
  | "float"
  | "string"
  | "dictionary"
  | "sequence";

export interface OptionType {
  readonly name: OptionTypeName;
  /** The value a registration without a default gets. */
  empty(): unknown;
  /** `Type.test`: is a value of this Python type acceptable as it is? */
  accepts(type: PyTypeName): boolean;
  /** `Type.__call__`: a string from the command line → a value, or an `InvalidTypeError`. */
  coerce(text: string): unknown;
}

export class InvalidTypeError extends TypeError {
  override name = "InvalidTypeError";
}

function invalid(text: string, type: OptionTypeName): InvalidTypeError {
  return new InvalidTypeError(`${reprString(text)} is not a valid ${type}`);
}

/**
 * `safe_load` of a string for Dict/Sequence coercion. Any error the parser reports makes the
 * value "not valid", as PyYAML raises on it: the library's `parse` with a silent log level
 * would drop those errors and return what it recovered (`{foo: b: ar}` → `{foo: {b: ar}}`).
 * Repeated keys are not an error here, as in PyYAML (the last one wins).
 */
function safeLoad(text: string): unknown {
  try {
    // `config set` loads the library before coercing (src/cli/commands/config.ts).
    const doc = loadedYaml().parseDocument(text, {
      version: "1.1",
      uniqueKeys: false,
      prettyErrors: false,
    });
    if (doc.errors.length > 0) return undefined;
    return doc.toJS({ maxAliasCount: 100 });
  } catch {
    return undefined;
  }
}

function make(
  name: OptionTypeName,
  empty: () => unknown,
  accepts: (t: PyTypeName) => boolean,
  convert: (text: string) => unknown,
  /** Float: `float('2')` is a float even though JS cannot tell 2.0 from 2. */
  trustConvert = false,
): OptionType {
  return {
    name,
    empty,
    accepts,
    coerce(text) {
      if (accepts("str")) return text;
      const value = convert(text);
      if (value === undefined) throw invalid(text, name);
      if (!trustConvert && !accepts(pyTypeOf(value))) throw invalid(text, name);
      return value;
    },
  };
}

const TRUE_WORDS = new Set(["y", "yes", "t", "true", "1", "on"]);
const FALSE_WORDS = new Set(["n", "no", "f", "false", "0", "off"]);

export const Any = make("any", () => null, () => true, (t) => t);
export const Bool = make("boolean", () => false, (t) => t === "bool", (text) => {
  const word = text.toLowerCase();
  return TRUE_WORDS.has(word) ? true : FALSE_WORDS.has(word) ? false : undefined;
});
// Python's bool is a subclass of int, so `isinstance(True, int)` holds.
export const Int = make("integer", () => 0, (t) => t === "int" || t === "bool", (text) => {
  const trimmed = text.trim().replaceAll("_", "");
  return /^[-+]?\d+$/.test(trimmed) ? Number(trimmed) : undefined;
});
export const Float = make("float", () => 0.0, (t) => t === "float", (text) => {
  const trimmed = text.trim().toLowerCase();
  if (/^[-+]?(inf|infinity)$/.test(trimmed)) return trimmed.startsWith("-") ? -Infinity : Infinity;
  if (trimmed === "nan") return NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/.test(trimmed)) return undefined;
  return Number(trimmed);
}, true);
export const String = make("string", () => "", (t) => t === "str", (t) => t);
export const Dict = make("dictionary", () => ({}), (t) => t === "dict", safeLoad);
export const Sequence = make("sequence", () => [], (t) => t === "list", safeLoad);

/** `type_from_value`: the type a registration infers from its default. */
export function typeFromValue(value: unknown): OptionType {
  switch (pyTypeOf(value)) {
    case "bool":
      return Bool;
    case "int":
      return Int;
    case "float":
      return Float;
    case "dict":
      return Dict;
    case "list":
      return Sequence;
    default:
      return String;
  }
}
