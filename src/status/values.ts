// Untrusted JSON made safe to show: every value an SDK sends may be any JSON type, so fields
// that should be strings are made strings here (never through an object's own `toString`,
// which a hostile payload can replace), and nesting is bounded before anything is parsed.

/** The deepest nesting of objects and arrays ingest accepts (Relay trims deeper data too). */
export const MAX_DEPTH = 200;

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A string for any value: strings as they are, scalars printed, objects and arrays as JSON. */
export function text(value: unknown, max = 100_000): string {
  let out: string;
  if (typeof value === "string") out = value;
  else if (value === null || value === undefined) out = "";
  else if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") {
    out = String(value);
  } else {
    try {
      out = JSON.stringify(value) ?? "";
    } catch {
      out = "[unprintable]";
    }
  }
  return out.length > max ? `${out.slice(0, max)}…` : out;
}

/** The value as a string when it is a non-empty string or a number; undefined otherwise. */
export function optText(value: unknown): string | undefined {
  if (typeof value === "string") return value === "" ? undefined : value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return undefined;
}

export function num(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function rec(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

/**
 * Whether JSON text nests objects/arrays deeper than `limit`, scanned on the bytes (strings
 * skipped) so neither the parser nor a renderer ever meets input it cannot hold.
 */
export function nestedDeeper(bytes: Uint8Array, limit = MAX_DEPTH): boolean {
  // Fast path (native memchr): with no more than `limit` opening brackets in all, nesting
  // cannot pass the limit; only larger bodies are scanned byte by byte.
  let opening = 0;
  for (const b of [0x7b, 0x5b]) {
    for (let at = bytes.indexOf(b); at !== -1 && opening <= limit; at = bytes.indexOf(b, at + 1)) {
      opening++;
    }
  }
  if (opening <= limit) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (inString) {
      if (b === 0x5c) i++;
      else if (b === 0x22) inString = false;
    } else if (b === 0x22) inString = true;
    else if (b === 0x7b || b === 0x5b) {
      if (++depth > limit) return true;
    } else if (b === 0x7d || b === 0x5d) depth--;
  }
  return false;
}

// deno-lint-ignore no-control-regex
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b[^[]?/g;

/** Text without terminal escape sequences (titles, Markdown). */
export function stripAnsi(input: string): string {
  return input.replace(ANSI, "");
}
