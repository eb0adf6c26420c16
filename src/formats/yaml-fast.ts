// A fast path for the YAML that config files almost always are: block mappings of one-line
// scalars, block lists of scalars, one-line flow collections (`ports: {"6379/tcp": 6379}`,
// `exec: [redis-cli, ping]`) and comments. The `yaml` library's first parse in a process costs
// 5–20 ms (cold code), a third of `config get` and of `ps` with a services file. Anything outside
// the subset (anchors, tags, multi-line flows or strings, escapes, lists of mappings, numbers
// other than plain ints and decimals, dates…) returns undefined, and the caller uses the library. A differential fuzz test checks that
// whatever this accepts, it reads exactly as the library does (values, positions, types).

import type { PyTypeName } from "../lib/python.ts";
import type { YamlMapping, YamlVersion } from "./yaml-mapping.ts";

const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const BOOLS: Record<YamlVersion, [RegExp, RegExp]> = {
  "1.1": [
    /^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/,
    /^(?:N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/,
  ],
  "1.2": [/^(?:[Tt]rue|TRUE)$/, /^(?:[Ff]alse|FALSE)$/],
};
const INT = /^(?:0|-?[1-9][0-9]{0,14})$/;
const DECIMAL = /^-?[0-9]{1,15}\.[0-9]{1,15}$/;
/** The other scalar tags of each schema (the library's own tests): numbers, dates, merge keys. */
const OTHER_TAGS: Record<YamlVersion, RegExp[]> = {
  "1.1": [
    /^[-+]?0b[0-1_]+$/,
    /^[-+]?0[0-7_]+$/,
    /^[-+]?[0-9][0-9_]*$/,
    /^[-+]?0x[0-9a-fA-F_]+$/,
    /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
    /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/,
    /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/,
    /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/,
    /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}/,
    /^<<$/,
  ],
  "1.2": [
    /^0o[0-7]+$/,
    /^[-+]?[0-9]+$/,
    /^0x[0-9a-fA-F]+$/,
    /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
    /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/,
    /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/,
    /^<<$/,
  ],
};
const KEY = /^[A-Za-z0-9_][A-Za-z0-9_./-]*$/;
const LINE = /^( *)([^ :#][^:]*?):(?: +(.*))?$/;

type Scalar = { value: unknown; type: PyTypeName };
const FALLBACK = Symbol("fallback");

function plain(text: string, version: YamlVersion): Scalar | typeof FALLBACK {
  if (NULL.test(text)) return { value: null, type: "NoneType" };
  const [yes, no] = BOOLS[version];
  if (yes.test(text)) return { value: true, type: "bool" };
  if (no.test(text)) return { value: false, type: "bool" };
  if (INT.test(text)) return { value: Number(text), type: "int" };
  if (DECIMAL.test(text)) return { value: Number(text), type: "float" };
  if (OTHER_TAGS[version].some((tag) => tag.test(text))) return FALLBACK;
  if (/^[-?:,[\]{}#&*!|>'"%@`]/.test(text) || /: |:$|[[\]{}\t]/.test(text)) return FALLBACK;
  return { value: text, type: "str" };
}

/** One line's value: a quoted or plain scalar, then optionally ` # comment`. */
function scalar(rest: string, version: YamlVersion): Scalar | typeof FALLBACK {
  const single = /^'((?:[^']|'')*)'(?: +#.*)? *$/.exec(rest);
  if (single) return { value: single[1]!.replaceAll("''", "'"), type: "str" };
  const double = /^"([^"\\]*)"(?: +#.*)? *$/.exec(rest);
  if (double) return { value: double[1], type: "str" };
  const hash = rest.search(/ #/);
  const text = (hash >= 0 ? rest.slice(0, hash) : rest).trimEnd();
  return text.includes("#") ? FALLBACK : plain(text, version);
}

function key(text: string, top: boolean, version: YamlVersion): string | undefined {
  if (!KEY.test(text) || text === "__proto__") return undefined;
  if (/^[0-9]/.test(text)) return !top && /^(?:0|[1-9][0-9]{0,14})$/.test(text) ? text : undefined;
  const resolved = plain(text, version);
  return resolved !== FALLBACK && resolved.type === "str" ? text : undefined;
}

const MAX_FLOW_DEPTH = 16;

/** A one-line flow collection (`[…]` or `{…}`) starting at `text[at]`, and where it ends. */
function flow(
  text: string,
  at: number,
  version: YamlVersion,
  depth = 0,
): { value: unknown; end: number } | undefined {
  // Settings nest a few levels; anything deeper (`[[[[…` 100k deep) is the library's to refuse.
  if (depth >= MAX_FLOW_DEPTH) return undefined;
  const open = text[at];
  const close = open === "[" ? "]" : "}";
  const isMap = open === "{";
  const out: unknown[] = [];
  const obj: Record<string, unknown> = {};
  let i = skipSpaces(text, at + 1);
  if (text[i] === close) return { value: isMap ? obj : out, end: i + 1 };
  for (;;) {
    if (isMap) {
      const k = flowScalar(text, i, version, true);
      if (!k || typeof k.value !== "string" || k.type !== "str") return undefined;
      const name = k.value;
      if (name === "__proto__" || Object.hasOwn(obj, name)) return undefined;
      // `key: value` only; `key:value`, `key` alone and `key:` are left to the library.
      if (text[k.end] !== ":" || text[k.end + 1] !== " ") return undefined;
      const v = flowItem(text, skipSpaces(text, k.end + 1), version, depth);
      if (!v) return undefined;
      obj[name] = v.value;
      i = skipSpaces(text, v.end);
    } else {
      const v = flowItem(text, i, version, depth);
      if (!v) return undefined;
      out.push(v.value);
      i = skipSpaces(text, v.end);
    }
    if (text[i] === close) return { value: isMap ? obj : out, end: i + 1 };
    if (text[i] !== ",") return undefined;
    i = skipSpaces(text, i + 1);
    if (text[i] === close || text[i] === ",") return undefined; // trailing or empty entries
  }
}

function skipSpaces(text: string, at: number): number {
  while (text[at] === " ") at++;
  return at;
}

function flowItem(
  text: string,
  at: number,
  version: YamlVersion,
  depth: number,
): { value: unknown; end: number } | undefined {
  if (text[at] === "[" || text[at] === "{") return flow(text, at, version, depth + 1);
  const s = flowScalar(text, at, version, false);
  return s && { value: s.value, end: s.end };
}

/** A quoted or plain scalar inside a flow collection; keys must be strings a mapping allows. */
function flowScalar(
  text: string,
  at: number,
  version: YamlVersion,
  asKey: boolean,
): (Scalar & { end: number }) | undefined {
  const quote = text[at];
  if (quote === "'" || quote === '"') {
    const m = quote === "'"
      ? /^'((?:[^']|'')*)'/.exec(text.slice(at))
      : /^"([^"\\]*)"/.exec(text.slice(at));
    if (!m) return undefined;
    const end = at + m[0].length;
    if (!/^ *[,\]}:]/.test(text.slice(end))) return undefined;
    return { value: quote === "'" ? m[1]!.replaceAll("''", "'") : m[1], type: "str", end };
  }
  const m = /^[^,[\]{}:#'"]+/.exec(text.slice(at));
  if (!m) return undefined;
  const raw = m[0].trimEnd();
  const end = at + raw.length;
  if (raw.includes("  ") || !/^ *[,\]}:]/.test(text.slice(end))) return undefined;
  if (asKey) {
    const name = key(raw, false, version);
    return name === undefined ? undefined : { value: name, type: "str", end };
  }
  const value = plain(raw, version);
  return value === FALLBACK ? undefined : { ...value, end };
}

/** A line's value when it opens a flow collection: the collection, then only a comment. */
function flowValue(rest: string, version: YamlVersion): Scalar | typeof FALLBACK {
  const parsed = flow(rest, 0, version);
  if (!parsed || !/^(?: +#.*)? *$/.test(rest.slice(parsed.end))) return FALLBACK;
  return { value: parsed.value, type: Array.isArray(parsed.value) ? "list" : "dict" };
}

const ITEM = /^( *)- +(.*)$/;

interface Level {
  indent: number;
  obj: Record<string, unknown>;
}

export function fastYamlMapping(text: string, version: YamlVersion): YamlMapping | undefined {
  if (/[\r\t\ufeff]/.test(text)) return undefined;
  const root: Record<string, unknown> = {};
  const mapping: YamlMapping = { values: root, positions: new Map(), types: new Map() };
  const stack: Level[] = [{ indent: 0, obj: root }];
  let pending: { level: Level; key: string; indent: number } | undefined;
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    if (/^ *(#.*)?$/.test(raw)) continue;
    const item = ITEM.exec(raw);
    if (item) {
      // A block list: only as the value of the key just read, items scalars or flows.
      const indent = item[1]!.length;
      if (!pending || indent < pending.indent) return undefined;
      const list: unknown[] = [];
      const first = i;
      for (; i < lines.length; i++) {
        const line = lines[i]!;
        if (/^ *(#.*)?$/.test(line)) continue;
        const it = ITEM.exec(line);
        if (!it || it[1]!.length !== indent) break;
        if (it[2] === "") return undefined; // `- ` alone: a null or a nested block
        const value = it[2]!.startsWith("[") || it[2]!.startsWith("{")
          ? flowValue(it[2]!, version)
          : scalar(it[2]!, version);
        if (value === FALLBACK || /^[-?:]( |$)/.test(it[2]!)) return undefined;
        list.push(value.value);
      }
      if (i < lines.length && (lines[i]!.length - lines[i]!.trimStart().length) > pending.indent) {
        return undefined; // something deeper after the list: leave it to the library
      }
      pending.level.obj[pending.key] = list;
      if (pending.level.obj === root) {
        mapping.positions.set(pending.key, { line: first + 1, col: indent + 1 });
        mapping.types.set(pending.key, "list");
      }
      pending = undefined;
      i--;
      continue;
    }
    const m = LINE.exec(raw);
    if (!m || raw.startsWith("---") || raw.startsWith("...")) return undefined;
    const indent = m[1]!.length;
    if (pending) {
      if (indent <= pending.indent) return undefined; // an empty value: leave nulls to the library
      const child: Record<string, unknown> = {};
      pending.level.obj[pending.key] = child;
      if (pending.level.obj === root) {
        mapping.positions.set(pending.key, { line: i + 1, col: indent + 1 });
        mapping.types.set(pending.key, "dict");
      }
      stack.push({ indent, obj: child });
      pending = undefined;
    }
    while (stack.length > 1 && stack[stack.length - 1]!.indent > indent) stack.pop();
    const level = stack[stack.length - 1]!;
    if (level.indent !== indent) return undefined;
    const name = key(m[2]!, level.obj === root, version);
    if (name === undefined || Object.hasOwn(level.obj, name)) return undefined;
    const rest = m[3] ?? "";
    if (rest === "" || rest.startsWith("#")) {
      pending = { level, key: name, indent };
      continue;
    }
    const value = rest.startsWith("[") || rest.startsWith("{")
      ? flowValue(rest, version)
      : scalar(rest, version);
    if (value === FALLBACK) return undefined;
    level.obj[name] = value.value;
    if (level.obj === root) {
      mapping.positions.set(name, { line: i + 1, col: raw.length - rest.length + 1 });
      mapping.types.set(name, value.type);
    }
  }
  return pending ? undefined : mapping;
}
