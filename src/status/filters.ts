// The list views' filters (SPEC §7a), from query parameters to a predicate over stored items:
// errors by level, type, text, release, environment and project; logs by level, text and
// trace; every list by kind. Values are compared whole (text: a case-insensitive substring).

import type { ItemKind, StoredItem } from "./item-types.ts";

export type View = "errors" | "logs" | "attachments" | "all";

export interface Filters {
  level?: string;
  type?: string;
  q?: string;
  release?: string;
  environment?: string;
  project?: string;
  trace?: string;
  kind?: string;
}

export const FILTER_KEYS = [
  "level",
  "type",
  "q",
  "release",
  "environment",
  "project",
  "trace",
  "kind",
] as const;

const VIEW_KINDS: Record<View, ItemKind[] | null> = {
  errors: ["error", "message"],
  logs: ["log"],
  attachments: ["attachment"],
  all: null,
};

export function parseFilters(query: (key: string) => string | undefined): Filters {
  const out: Filters = {};
  for (const key of FILTER_KEYS) {
    const v = query(key)?.trim();
    if (v) out[key] = v.slice(0, 500);
  }
  return out;
}

export function matcher(view: View, f: Filters): (it: StoredItem) => boolean {
  const kinds = VIEW_KINDS[view];
  const q = f.q?.toLowerCase();
  return (it) =>
    (kinds === null || kinds.includes(it.kind)) &&
    (f.kind === undefined || it.kind === f.kind) &&
    (f.level === undefined || it.level === f.level) &&
    (f.type === undefined || it.errorType === f.type) &&
    (f.release === undefined || it.release === f.release) &&
    (f.environment === undefined || it.environment === f.environment) &&
    (f.project === undefined || it.project_id === f.project) &&
    (f.trace === undefined || it.trace_id === f.trace) &&
    (q === undefined || it.title.toLowerCase().includes(q));
}

/** The distinct values of each filterable field among `items` (the filter menus). */
export function facets(items: StoredItem[]): Record<string, string[]> {
  const sets: Record<string, Set<string>> = {
    level: new Set(),
    type: new Set(),
    release: new Set(),
    environment: new Set(),
    project: new Set(),
    kind: new Set(),
  };
  for (const it of items) {
    if (it.level) sets.level!.add(it.level);
    if (it.errorType) sets.type!.add(it.errorType);
    if (it.release) sets.release!.add(it.release);
    if (it.environment) sets.environment!.add(it.environment);
    sets.project!.add(it.project_id);
    sets.kind!.add(it.kind);
  }
  return Object.fromEntries(
    Object.entries(sets).map(([k, s]) => [k, [...s].sort().slice(0, 200)]),
  );
}

/** The filters as a query string (for live updates and links). */
export function filterQuery(f: Filters): string {
  const p = new URLSearchParams();
  for (const key of FILTER_KEYS) if (f[key] !== undefined) p.set(key, f[key]!);
  return p.toString();
}
