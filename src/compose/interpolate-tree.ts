// Interpolation of every string value of one parsed file (keys are left alone, as compose
// does), with errors placed at the `$` inside the value when the line shows it.

import { define } from "./fields.ts";
import { interpolate, type Interpolation, InterpolationError } from "./interpolate.ts";
import { type Path, positionedError, type SourceMap } from "./source.ts";

export function interpolateTree(
  value: unknown,
  source: SourceMap,
  vars: Interpolation,
  path: Path = [],
): unknown {
  if (typeof value === "string") {
    try {
      return interpolate(value, {
        lookup: vars.lookup,
        unset: (name) => vars.unset(name, source.at(path)),
      });
    } catch (err) {
      if (!(err instanceof InterpolationError)) throw err;
      const at = source.at(path) ?? { file: source.file, line: 1, col: 1 };
      // Point at the `${` when the scalar is written on its line as is (plain or quoted).
      const line = source.lines.line(at.line);
      const snippet = value.slice(err.offset, err.offset + 8);
      const found = snippet ? line.indexOf(snippet, at.col - 1) : -1;
      const col = found >= 0 ? found + 1 : at.col;
      throw positionedError(
        source.lines,
        { ...at, col },
        err.message,
        "write '$$' for a literal '$'",
      );
    }
  }
  if (Array.isArray(value)) {
    return value.map((v, i) => interpolateTree(v, source, vars, [...path, i]));
  }
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      define(out, k, interpolateTree(v, source, vars, [...path, k]));
    }
    return out;
  }
  return value;
}
