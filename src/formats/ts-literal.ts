// A `sentry.conf.ts` that is only data (`export default { … }` of literals, as `init` writes it)
// is read here, in-process; anything else — imports, a function export, expressions, template
// strings, spreads, `__proto__` — returns undefined and goes to the bounded worker
// (ts-loader.ts). Starting the worker costs ~40 ms, more than the rest of `config get`; data needs
// no code to run. A differential test holds this reading equal to importing the module.

type Token =
  | { kind: "punct"; value: string }
  | { kind: "string"; value: string }
  | { kind: "number"; value: number }
  | { kind: "word"; value: string };

const FALLBACK = Symbol("fallback");
const MAX_DEPTH = 64;

/** Splits source into tokens, dropping whitespace and comments; FALLBACK on anything unusual. */
function tokenize(source: string): Token[] | typeof FALLBACK {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (source.startsWith("//", i)) {
      const end = source.indexOf("\n", i);
      i = end < 0 ? source.length : end + 1;
    } else if (source.startsWith("/*", i)) {
      const end = source.indexOf("*/", i + 2);
      if (end < 0) return FALLBACK;
      i = end + 2;
    } else if ("{}[],:;".includes(c)) {
      tokens.push({ kind: "punct", value: c });
      i++;
    } else if (c === '"' || c === "'") {
      const parsed = stringAt(source, i);
      if (!parsed) return FALLBACK;
      tokens.push({ kind: "string", value: parsed.value });
      i = parsed.end;
    } else {
      const m =
        /^(?:-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?(?![\w$.])|[A-Za-z_$][\w$]*)/
          .exec(source.slice(i, i + 400));
      if (!m) return FALLBACK;
      const text = m[0];
      tokens.push(
        /^[-0-9]/.test(text) ? { kind: "number", value: Number(text) } : {
          kind: "word",
          value: text,
        },
      );
      i += text.length;
    }
  }
  return tokens;
}

const ESCAPES: Record<string, string> = {
  n: "\n",
  t: "\t",
  r: "\r",
  "\\": "\\",
  "'": "'",
  '"': '"',
  "0": "\0",
};

/** A quoted string with the common escapes; anything fancier (line continuations…) falls back. */
function stringAt(source: string, start: number): { value: string; end: number } | undefined {
  const quote = source[start];
  let value = "";
  for (let i = start + 1; i < source.length; i++) {
    const c = source[i]!;
    if (c === quote) return { value, end: i + 1 };
    if (c === "\n" || c === "\r") return undefined;
    if (c !== "\\") {
      value += c;
      continue;
    }
    const next = source[i + 1];
    if (next === "u" && /^[0-9a-fA-F]{4}$/.test(source.slice(i + 2, i + 6))) {
      value += String.fromCharCode(parseInt(source.slice(i + 2, i + 6), 16));
      i += 5;
    } else if (
      next !== undefined && next in ESCAPES && !(next === "0" && /[0-9]/.test(source[i + 2] ?? ""))
    ) {
      value += ESCAPES[next];
      i++;
    } else {
      return undefined;
    }
  }
  return undefined;
}

class Reader {
  i = 0;
  constructor(readonly tokens: Token[]) {}
  peek(): Token | undefined {
    return this.tokens[this.i];
  }
  take(): Token | undefined {
    return this.tokens[this.i++];
  }
  punct(value: string): boolean {
    const t = this.peek();
    if (t?.kind === "punct" && t.value === value) {
      this.i++;
      return true;
    }
    return false;
  }
}

function value(r: Reader, depth: number): unknown | typeof FALLBACK {
  if (depth > MAX_DEPTH) return FALLBACK;
  const t = r.take();
  if (!t) return FALLBACK;
  if (t.kind === "string" || t.kind === "number") return t.value;
  if (t.kind === "word") {
    if (t.value === "true") return true;
    if (t.value === "false") return false;
    if (t.value === "null") return null;
    return FALLBACK; // an identifier is code (undefined, NaN, a variable…)
  }
  if (t.value === "[") {
    const list: unknown[] = [];
    while (!r.punct("]")) {
      const item = value(r, depth + 1);
      if (item === FALLBACK) return FALLBACK;
      list.push(item);
      if (!r.punct(",") && r.peek()?.value !== "]") return FALLBACK;
    }
    return list;
  }
  if (t.value === "{") {
    const obj: Record<string, unknown> = {};
    while (!r.punct("}")) {
      const key = r.take();
      if (!key || key.kind === "punct") return FALLBACK;
      // A number key is its canonical string, as in JavaScript (a negative one is a syntax
      // error there); `__proto__` would set the prototype.
      if (key.kind === "number" && (key.value < 0 || Object.is(key.value, -0))) return FALLBACK;
      const name = String(key.value);
      if (name === "__proto__" || !r.punct(":")) return FALLBACK;
      const item = value(r, depth + 1);
      if (item === FALLBACK) return FALLBACK;
      obj[name] = item;
      if (!r.punct(",") && r.peek()?.value !== "}") return FALLBACK;
    }
    return obj;
  }
  return FALLBACK;
}

/** The default export of a data-only settings module, or undefined when it is more than data. */
export function staticSettingsModule(source: string): Record<string, unknown> | undefined {
  const tokens = tokenize(source);
  if (tokens === FALLBACK) return undefined;
  const r = new Reader(tokens);
  const [a, b] = [r.take(), r.take()];
  if (a?.kind !== "word" || a.value !== "export" || b?.kind !== "word" || b.value !== "default") {
    return undefined;
  }
  if (r.peek()?.value !== "{") return undefined;
  const result = value(r, 0);
  r.punct(";");
  if (result === FALLBACK || r.peek() !== undefined) return undefined;
  return result as Record<string, unknown>;
}
