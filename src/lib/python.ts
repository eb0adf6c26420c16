// Python-compatible formatting, for messages that must match Sentry's byte for byte: `repr()`,
// `str.center`, `%g`, truthiness and the `<class '…'>` names of values.

/** Python's `repr()` of a str: single quotes unless the text has a `'` and no `"`. */
export function reprString(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === "\\") out += "\\\\";
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return out + quote;
}

/** Python's `repr()` of a float (shortest round-trip digits, exponent outside 1e-4 ≤ x < 1e16). */
export function reprFloat(value: number): string {
  if (Number.isNaN(value)) return "nan";
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
  const abs = Math.abs(value);
  if (abs !== 0 && (abs >= 1e16 || abs < 1e-4)) {
    const [mantissa, exp] = value.toExponential().split("e") as [string, string];
    const sign = exp.startsWith("-") ? "-" : "+";
    return `${mantissa}e${sign}${exp.replace(/^[-+]/, "").padStart(2, "0")}`;
  }
  const text = String(value);
  return Number.isInteger(value) ? `${text}.0` : text;
}

/** Python's `repr()` of a JSON-like value: str, int/float, bool, None, list, dict. */
export function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return "None";
  if (typeof value === "string") return reprString(value);
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : reprFloat(value);
  if (typeof value === "bigint") return String(value);
  if (value instanceof Date) return reprString(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(", ")}]`;
  if (typeof value === "object") {
    const items = Object.entries(value as Record<string, unknown>);
    return `{${items.map(([k, v]) => `${reprString(k)}: ${pyRepr(v)}`).join(", ")}}`;
  }
  return reprString(String(value));
}

/** Python's `str.center(width)`: the odd space goes left only when margin and width are odd. */
export function center(text: string, width: number): string {
  const length = [...text].length;
  if (length >= width) return text;
  const margin = width - length;
  const left = Math.floor(margin / 2) + (margin & width & 1);
  return " ".repeat(left) + text + " ".repeat(margin - left);
}

/** Python's `len()` of a str: code points, not UTF-16 units. */
export function pyLen(text: string): number {
  return [...text].length;
}

/** Python's `%g`: 6 significant digits, trailing zeros dropped, exponent outside 1e-4..1e6. */
export function formatG(value: number, signed = false): string {
  const sign = signed && value >= 0 ? "+" : "";
  if (Number.isNaN(value)) return `${sign}nan`;
  if (!Number.isFinite(value)) return value > 0 ? `${sign}inf` : "-inf";
  if (value === 0) return `${sign}0`;
  const exp = Math.floor(Math.log10(Math.abs(Number(value.toPrecision(6)))));
  if (exp < -4 || exp >= 6) {
    const [mantissa, e] = value.toExponential(5).split("e") as [string, string];
    const trimmed = mantissa.includes(".") ? mantissa.replace(/\.?0+$/, "") : mantissa;
    const esign = e.startsWith("-") ? "-" : "+";
    return `${sign}${trimmed}e${esign}${e.replace(/^[-+]/, "").padStart(2, "0")}`;
  }
  const fixed = value.toFixed(Math.max(0, 5 - exp));
  return sign + (fixed.includes(".") ? fixed.replace(/\.?0+$/, "") : fixed);
}

/** Python truthiness: empty strings, 0, None, empty lists and dicts are false. */
export function pyTruthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false) return false;
  if (typeof value === "number") return value !== 0 && !Number.isNaN(value);
  if (typeof value === "string") return value.length > 0;
  if (Array.isArray(value)) return value.length > 0;
  if (value instanceof Date) return true;
  if (typeof value === "object") return Object.keys(value).length > 0;
  return Boolean(value);
}

/** The name Python's `type(value)` would have for a value loaded from YAML or a settings file. */
export type PyTypeName =
  | "str"
  | "int"
  | "float"
  | "bool"
  | "NoneType"
  | "list"
  | "dict"
  | "datetime.datetime";

export function pyTypeOf(value: unknown): PyTypeName {
  if (value === null || value === undefined) return "NoneType";
  if (typeof value === "string") return "str";
  if (typeof value === "boolean") return "bool";
  if (typeof value === "number") return Number.isInteger(value) ? "int" : "float";
  if (typeof value === "bigint") return "int";
  if (value instanceof Date) return "datetime.datetime";
  if (Array.isArray(value)) return "list";
  return "dict";
}

/** `repr(type(value))`, e.g. `<class 'str'>`. */
export function classRepr(type: PyTypeName): string {
  return `<class '${type}'>`;
}
