// Small typed readers for one value of a project file: each names the value's path in its error
// (`file:line:col`, caret) when the type is wrong. Shared by the service and top-level readers.

import type { SentryctlError } from "../errors.ts";
import type { Path, Sources } from "./source.ts";

export interface Reader {
  sources: Sources;
  /** Absolute project directory: relative paths in the files resolve against it. */
  projectDir: string;
  home: string;
  warn(message: string): void;
}

export function fail(r: Reader, path: Path, message: string, hint?: string): SentryctlError {
  return r.sources.error(path, message, hint);
}

export function label(path: Path): string {
  return path.join(".");
}

export function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

export function str(r: Reader, value: unknown, path: Path): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  throw fail(r, path, `${label(path)} must be a string`);
}

export function int(r: Reader, value: unknown, path: Path): number {
  const n = typeof value === "string" && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof n === "number" && Number.isInteger(n)) return n;
  throw fail(r, path, `${label(path)} must be an integer`);
}

export function bool(r: Reader, value: unknown, path: Path): boolean {
  if (typeof value === "boolean") return value;
  if (value === "true" || value === "false") return value === "true";
  throw fail(r, path, `${label(path)} must be true or false`);
}

export function mapping(r: Reader, value: unknown, path: Path): Record<string, unknown> {
  if (isMapping(value)) return value;
  throw fail(r, path, `${label(path)} must be a mapping`);
}

export function list(r: Reader, value: unknown, path: Path): unknown[] {
  if (Array.isArray(value)) return value;
  throw fail(r, path, `${label(path)} must be a list`);
}

/** A string or a list of strings (`tmpfs`, `env_file`, `dns`) as a list. */
export function strings(r: Reader, value: unknown, path: Path): string[] {
  if (typeof value === "string") return [value];
  return list(r, value, path).map((v, i) => str(r, v, [...path, i]));
}

/** `{K: V}` or `["K=V", "K"]`; a bare K (or `K:` with no value) is `null`. */
export function keyValues(
  r: Reader,
  value: unknown,
  path: Path,
  sep = "=",
): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      const text = str(r, item, [...path, i]);
      const at = text.indexOf(sep);
      define(out, at < 0 ? text : text.slice(0, at), at < 0 ? null : text.slice(at + sep.length));
    });
    return out;
  }
  for (const [k, v] of Object.entries(mapping(r, value, path))) {
    define(out, k, v === null ? null : str(r, v, [...path, k]));
  }
  return out;
}

export function define<T>(target: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

const DURATION = /^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+$/;

/** A Go duration (`1m30s`, `500ms`), as compose takes it. */
export function duration(r: Reader, value: unknown, path: Path): string {
  const text = typeof value === "number" ? `${value}s` : str(r, value, path);
  if (!DURATION.test(text) && text !== "0") {
    throw fail(
      r,
      path,
      `${label(path)}: '${text}' is not a duration`,
      "write e.g. 30s, 1m30s or 500ms",
    );
  }
  return text;
}

const UNITS: Record<string, number> = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** `256m`, `1gb`, `1024` → bytes as a decimal string, as compose prints `shm_size`. */
export function bytes(r: Reader, value: unknown, path: Path): string {
  if (typeof value === "number" && Number.isInteger(value) && value >= 0) return String(value);
  const text = str(r, value, path).trim().toLowerCase();
  const m = /^(\d+(?:\.\d+)?)\s*([bkmg]?)b?$/.exec(text);
  if (!m) throw fail(r, path, `${label(path)}: '${text}' is not a size`, "write e.g. 256m or 1g");
  return String(Math.round(Number(m[1]) * UNITS[m[2] || "b"]!));
}
