// YAML loading with positioned errors: `file:line:col`, the offending line and a caret,
// never a stack trace (SPEC §2). Uses the npm `yaml` package because it keeps source
// positions (the JSR-only @std/yaml is unreachable here).

import { parseDocument } from "yaml";
import { configError } from "../errors.ts";

/** Renders `file:line:col: message` plus the source line and a caret under the column. */
export function positionedMessage(
  file: string,
  text: string,
  line: number,
  col: number,
  message: string,
): { message: string; details: string } {
  const source = text.split(/\r?\n/)[line - 1] ?? "";
  const gutter = `${line} | `;
  const caret = " ".repeat(gutter.length + Math.max(0, col - 1)) + "^";
  return {
    message: `${file}:${line}:${col}: ${message}`,
    details: `${gutter}${source}\n${caret}`,
  };
}

/** The first line of the yaml library's message, without its own position suffix. */
function shortReason(raw: string): string {
  const first = raw.split("\n")[0] ?? raw;
  return first.replace(/ at line \d+, column \d+:?$/, "");
}

/** Parses YAML text; an empty document is `null`. Throws a configuration error on bad syntax. */
export function parseYaml(file: string, text: string): unknown {
  let doc;
  try {
    doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  } catch (err) {
    throw configError(`${file}: cannot parse YAML: ${(err as Error).message}`);
  }
  const first = doc.errors[0];
  if (first) {
    const offset = first.pos[0];
    const { line, col } = lineColAt(text, offset);
    const { message, details } = positionedMessage(
      file,
      text,
      line,
      col,
      shortReason(first.message),
    );
    throw configError(message, { details, hint: "fix the YAML syntax at the position shown" });
  }
  return doc.toJS({ maxAliasCount: 100 });
}

/** Parses YAML and requires a mapping (or an empty document, read as `{}`). */
export function parseYamlMapping(file: string, text: string): Record<string, unknown> {
  const value = parseYaml(file, text);
  if (value === null || value === undefined) return {};
  if (typeof value !== "object" || Array.isArray(value)) {
    const got = Array.isArray(value) ? "a list" : `a ${typeof value}`;
    throw configError(`${file}:1:1: expected a mapping of keys to values, got ${got}`, {
      details: positionedMessage(file, text, 1, 1, "").details,
      hint: "the file must be a YAML mapping such as `key: value`",
    });
  }
  return value as Record<string, unknown>;
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
