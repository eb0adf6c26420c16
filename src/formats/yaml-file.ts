// YAML loading with positioned errors: `file:line:col`, the offending line and a caret,
// never a stack trace (SPEC §2). Uses the npm `yaml` package because it keeps source
// positions (the JSR-only @std/yaml is unreachable here).

import type { Document, Node, Scalar } from "yaml";
import { configError } from "../errors.ts";
import { type PyTypeName, pyTypeOf } from "../lib/python.ts";
import { excerptLine } from "../lib/echo.ts";
import { fastYamlMapping } from "./yaml-fast.ts";
import { loadedYaml, loadYaml } from "./yaml-lib.ts";
import type { YamlMapping, YamlVersion } from "./yaml-mapping.ts";

/** Renders `file:line:col: message` plus the source line and a caret under the column. */
export function positionedMessage(
  file: string,
  text: string,
  line: number,
  col: number,
  message: string,
): { message: string; details: string } {
  // A 200 KB line (a deeply nested flow mapping) is cut to a window around the column.
  const { text: source, caretCol } = excerptLine(lineAt(text, line), col);
  const gutter = `${line} | `;
  const caret = " ".repeat(gutter.length + Math.max(0, caretCol - 1)) + "^";
  return {
    message: `${file}:${line}:${col}: ${message}`,
    details: `${gutter}${source}\n${caret}`,
  };
}

/** Line `n` (1-based) of `text`, found without splitting a large file into an array. */
function lineAt(text: string, n: number): string {
  let start = 0;
  for (let i = 1; i < n; i++) {
    const next = text.indexOf("\n", start);
    if (next < 0) return "";
    start = next + 1;
  }
  const end = text.indexOf("\n", start);
  return text.slice(start, end < 0 ? undefined : end).replace(/\r$/, "");
}

/** The first line of the yaml library's message, without its own position suffix. */
function shortReason(raw: string): string {
  const first = raw.split("\n")[0] ?? raw;
  return first.replace(/ at line \d+, column \d+:?$/, "");
}

function parseDoc(file: string, text: string, version: YamlVersion): Document.Parsed {
  let doc;
  try {
    doc = loadedYaml().parseDocument(text, {
      prettyErrors: false,
      uniqueKeys: true,
      version,
      logLevel: "error",
    });
  } catch (err) {
    throw configError(`${file}: cannot parse YAML: ${(err as Error).message}`);
  }
  const first = doc.errors[0];
  if (first) {
    const { line, col } = lineColAt(text, first.pos[0]);
    const { message, details } = positionedMessage(
      file,
      text,
      line,
      col,
      shortReason(first.message),
    );
    throw configError(message, { details, hint: "fix the YAML syntax at the position shown" });
  }
  return doc;
}

function toJS(file: string, doc: Document.Parsed): unknown {
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    // e.g. an alias bomb: "Excessive alias count indicates a resource exhaustion attack"
    throw configError(`${file}: cannot load YAML: ${(err as Error).message}`, {
      hint: "simplify the anchors and aliases in the file",
    });
  }
}

/**
 * Parses YAML that must be a mapping (an empty document reads as `{}`), with the position and
 * Python type of every top-level value. Throws a configuration error on bad syntax.
 */
export async function loadYamlMapping(
  file: string,
  text: string,
  version: YamlVersion = "1.2",
): Promise<YamlMapping> {
  const fast = fastYamlMapping(text, version);
  if (fast) return fast;
  await loadYaml();
  return loadYamlMappingFull(file, text, version);
}

/**
 * The `yaml` library's reading, for anything outside the fast path's subset. Synchronous, for
 * callers that have awaited `loadYaml()` (src/formats/yaml-lib.ts).
 */
export function loadYamlMappingFull(
  file: string,
  text: string,
  version: YamlVersion = "1.2",
): YamlMapping {
  const doc = parseDoc(file, text, version);
  const value = toJS(file, doc);
  const mapping: YamlMapping = { values: {}, positions: new Map(), types: new Map() };
  if (value === null || value === undefined) return mapping;
  const { isMap, isScalar } = loadedYaml();
  if (typeof value !== "object" || Array.isArray(value) || !isMap(doc.contents)) {
    const got = Array.isArray(value) ? "a list" : `a ${typeof value}`;
    throw configError(`${file}:1:1: expected a mapping of keys to values, got ${got}`, {
      details: positionedMessage(file, text, 1, 1, "").details,
      hint: "the file must be a YAML mapping such as `key: value`",
    });
  }
  for (const pair of doc.contents.items) {
    const keyNode = pair.key as Node | null;
    const at = lineColAt(text, keyNode?.range?.[0] ?? 0);
    if (!isScalar(keyNode) || typeof keyNode.value !== "string") {
      if (isScalar(keyNode) && keyNode.value === "<<") continue; // merge key
      const { message, details } = positionedMessage(
        file,
        text,
        at.line,
        at.col,
        "keys must be strings",
      );
      throw configError(message, { details, hint: "quote the key, e.g. `'1': value`" });
    }
    const key = keyNode.value;
    const valueNode = pair.value as Node | null;
    mapping.positions.set(key, valueNode?.range ? lineColAt(text, valueNode.range[0]) : at);
    const loaded = (value as Record<string, unknown>)[key];
    mapping.types.set(key, isScalar(valueNode) ? scalarType(valueNode, loaded) : pyTypeOf(loaded));
  }
  mapping.values = value as Record<string, unknown>;
  return mapping;
}

/** PyYAML loads `1.0`, `1e3`, `.inf` as float even when JS sees an integer. */
function scalarType(node: Scalar, loaded: unknown): PyTypeName {
  if (typeof loaded !== "number" || loadedYaml().isAlias(node)) return pyTypeOf(loaded);
  const source = String(node.source ?? "");
  if (/^[-+]?0x/i.test(source)) return "int";
  return /[.eE]/.test(source) || !Number.isFinite(loaded) ? "float" : pyTypeOf(loaded);
}

export function lineColAt(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, col: end - lineStart + 1 };
}
