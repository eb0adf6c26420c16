// Where a value came from: every node of a project file is remembered by its path (lazily, as
// an offset) so that warnings and errors found long after parsing still name `file:line:col`
// and show the line with a caret under the column (SPEC §3a, the house style of
// src/formats/yaml-file.ts).

import { configError, type SentryctlError } from "../errors.ts";
import { excerptLine } from "../lib/echo.ts";
import type { Position } from "./types.ts";

export type PathSegment = string | number;
export type Path = readonly PathSegment[];

/** Path segments joined by a separator that YAML keys in practice never contain. */
export function pathKey(path: Path): string {
  return path.join("\u001f");
}

/** Lines of a file, found by binary search over the offsets of its line starts. */
export class LineIndex {
  readonly #starts: number[] = [0];
  constructor(readonly text: string) {
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) {
      this.#starts.push(i + 1);
    }
  }
  position(offset: number): { line: number; col: number } {
    let lo = 0;
    let hi = this.#starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.#starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: offset - this.#starts[lo]! + 1 };
  }
  line(n: number): string {
    const start = this.#starts[n - 1];
    if (start === undefined) return "";
    const end = this.#starts[n];
    return this.text.slice(start, end === undefined ? undefined : end - 1).replace(/\r$/, "");
  }
}

/** One file's text and the offsets of its values and keys by path. */
export class SourceMap {
  readonly values = new Map<string, number>();
  readonly keys = new Map<string, number>();
  /** Paths whose value carries compose's `!reset` or `!override` tag (merge.ts). */
  readonly tags = new Map<string, "!reset" | "!override">();
  readonly lines: LineIndex;
  constructor(readonly file: string, text: string) {
    this.lines = new LineIndex(text);
  }
  /** The value at `path` (or, failing that, its key, or the nearest ancestor's). */
  at(path: Path, prefer: "value" | "key" = "value"): Position | undefined {
    for (let n = path.length; n >= 0; n--) {
      const key = pathKey(path.slice(0, n));
      const first = prefer === "key" ? this.keys : this.values;
      const second = prefer === "key" ? this.values : this.keys;
      const offset = first.get(key) ?? second.get(key);
      if (offset !== undefined) return { file: this.file, ...this.lines.position(offset) };
    }
    return undefined;
  }
  /** Makes `as` (a canonical map key) point where list item `from` was written. */
  alias(from: Path, as: Path): void {
    const offset = this.values.get(pathKey(from));
    if (offset !== undefined && !this.keys.has(pathKey(as))) this.keys.set(pathKey(as), offset);
  }
  has(path: Path): boolean {
    return this.values.has(pathKey(path)) || this.keys.has(pathKey(path));
  }
}

/** The files of a project: a path is looked up in the last file that has it (merge order). */
export class Sources {
  constructor(readonly maps: SourceMap[]) {}
  at(path: Path, prefer: "value" | "key" = "value"): Position | undefined {
    for (let i = this.maps.length - 1; i >= 0; i--) {
      if (this.maps[i]!.has(path)) return this.maps[i]!.at(path, prefer);
    }
    for (let n = path.length - 1; n >= 0; n--) {
      for (let i = this.maps.length - 1; i >= 0; i--) {
        if (this.maps[i]!.has(path.slice(0, n))) return this.maps[i]!.at(path.slice(0, n), prefer);
      }
    }
    return this.maps[0] ? { file: this.maps[0].file, line: 1, col: 1 } : undefined;
  }
  /** `file:line` for warnings. */
  where(path: Path, prefer: "value" | "key" = "key"): string {
    const at = this.at(path, prefer);
    return at ? `${at.file}:${at.line}` : "";
  }
  error(path: Path, message: string, hint?: string, prefer: "value" | "key" = "value") {
    const at = this.at(path, prefer);
    const map = this.maps.find((m) => m.file === at?.file);
    if (!at || !map) return configError(message, { hint });
    return positionedError(map.lines, at, message, hint);
  }
}

/** `file:line:col: message`, the line and a caret under the column; exit 3. */
export function positionedError(
  lines: LineIndex,
  at: Position,
  message: string,
  hint?: string,
): SentryctlError {
  const { text, caretCol } = excerptLine(lines.line(at.line), at.col);
  const gutter = `${at.line} | `;
  const caret = " ".repeat(gutter.length + Math.max(0, caretCol - 1)) + "^";
  return configError(`${at.file}:${at.line}:${at.col}: ${message}`, {
    details: `${gutter}${text}\n${caret}`,
    hint,
  });
}
