// Local source files for `PUT /contextlines` and `POST /open`. A stack frame names a file, and
// the request can come from any page a token holder opened, so what may be read is narrow:
// regular files inside the source root (the directory `serve` started in), reached without
// leaving it through `..` or a symlink, not under `node_modules` or a dot-directory (`.git`,
// `.env` and the like stay private), at most 1 MiB, and valid UTF-8. URLs are never fetched
// (Spotlight fetches `http://` frames; that would let a stack trace make the server dial out).

import { readFileSync, realpathSync, statSync } from "node:fs";
import { isAbsolute, relative, resolve, sep } from "node:path";

export const MAX_SOURCE_BYTES = 1024 * 1024;
export const MAX_FRAMES = 256;
const CONTEXT = 5;
const decoder = new TextDecoder("utf-8", { fatal: true });

/** The real path of `file` when it may be read, else null (never throws). */
export function allowedSourcePath(root: string, file: string): string | null {
  if (file === "" || file.includes("\0") || /^[a-z][a-z0-9+.-]*:\/\//i.test(file)) return null;
  let realRoot: string;
  let real: string;
  try {
    realRoot = realpathSync(root);
    real = realpathSync(isAbsolute(file) ? file : resolve(root, file));
  } catch {
    return null;
  }
  const rel = relative(realRoot, real);
  if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) return null;
  const parts = rel.split(sep);
  if (parts.some((p) => p.startsWith(".") || p === "node_modules")) return null;
  try {
    const st = statSync(real);
    if (!st.isFile() || st.size > MAX_SOURCE_BYTES) return null;
  } catch {
    return null;
  }
  return real;
}

function readLines(path: string): string[] | null {
  try {
    return decoder.decode(readFileSync(path)).split(/\r?\n/);
  } catch {
    return null;
  }
}

/** Sentry's rule for long lines: about 140 characters around the column, marked `{snip}`. */
export function snipLine(line: string, colno: number): string {
  if (line.length <= 150) return line;
  const col = Math.min(colno, line.length);
  let start = Math.max(col - 60, 0);
  if (start < 5) start = 0;
  let end = Math.min(start + 140, line.length);
  if (end > line.length - 5) end = line.length;
  if (end === line.length) start = Math.max(end - 140, 0);
  let out = line.slice(start, end);
  if (start > 0) out = `{snip} ${out}`;
  if (end < line.length) out = `${out} {snip}`;
  return out;
}

type Frame = Record<string, unknown>;

/** Fills pre_context/context_line/post_context of frames that lack them; returns how many. */
export function fillContextLines(root: string, frames: unknown[]): number {
  const cache = new Map<string, string[] | null>();
  let filled = 0;
  for (const f of frames.slice(0, MAX_FRAMES)) {
    if (typeof f !== "object" || f === null) continue;
    const frame = f as Frame;
    const lineno = frame.lineno;
    if (typeof frame.filename !== "string" || typeof lineno !== "number" || lineno < 1) continue;
    if (typeof frame.context_line === "string") continue;
    const path = allowedSourcePath(root, frame.filename);
    if (!path) continue;
    if (!cache.has(path)) cache.set(path, readLines(path));
    const lines = cache.get(path);
    if (!lines || lineno > lines.length) continue;
    const at = Math.floor(lineno) - 1;
    const col = typeof frame.colno === "number" ? frame.colno : 0;
    frame.pre_context = lines.slice(Math.max(0, at - CONTEXT), at).map((l) => snipLine(l, 0));
    frame.context_line = snipLine(lines[at]!, col);
    frame.post_context = lines.slice(at + 1, at + 1 + CONTEXT).map((l) => snipLine(l, 0));
    filled++;
  }
  return filled;
}

/**
 * The frames of a `PUT /contextlines` body: a stack trace `{frames: […]}` (Spotlight's shape),
 * or an event whose exceptions and threads carry stack traces.
 */
export function framesOf(body: unknown): unknown[] {
  if (typeof body !== "object" || body === null) return [];
  const b = body as Record<string, unknown>;
  if (Array.isArray(b.frames)) return b.frames;
  const out: unknown[] = [];
  for (const key of ["exception", "threads"]) {
    const values = (b[key] as { values?: unknown } | undefined)?.values;
    if (!Array.isArray(values)) continue;
    for (const v of values) {
      const frames = (v as { stacktrace?: { frames?: unknown } } | null)?.stacktrace?.frames;
      if (Array.isArray(frames)) out.push(...frames);
    }
  }
  return out;
}
