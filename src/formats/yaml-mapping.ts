// What both YAML readers (the fast path in yaml-fast.ts, the positioned one in yaml-file.ts)
// return: a top-level mapping with where each value starts and the Python type it loads as.

import type { PyTypeName } from "../lib/python.ts";

/** `config.yml` is read as PyYAML reads it (YAML 1.1: `yes`/`on` are booleans); settings as 1.2. */
export type YamlVersion = "1.1" | "1.2";

export interface Position {
  line: number;
  col: number;
}

export interface YamlMapping {
  values: Record<string, unknown>;
  /** Where each top-level key's value starts. */
  positions: Map<string, Position>;
  /** The Python type each top-level value would load as (YAML tells `1.0` from `1`). */
  types: Map<string, PyTypeName>;
}
