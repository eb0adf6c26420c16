// Traces from the stored items: every span of a trace, whether it came inside a transaction
// (`spans` plus the transaction's own root span) or as span items (span v2 streaming), in tree
// order, with the patterns the waterfall marks: N+1 (the same op and description repeated
// under one parent) and the slowest spans.

import type { StoredItem } from "./item-types.ts";
import type { EventStore } from "./event-store.ts";
import { attr } from "./shapes.ts";
import { isRecord, list, num, optText, rec, text } from "./values.ts";

export interface SpanRow {
  span_id: string;
  parent_span_id?: string;
  op: string;
  description: string;
  status?: string;
  start: number;
  end: number;
  /** The stored item to link to (the transaction, or the span item). */
  itemId?: string;
  depth: number;
  marks: ("n+1" | "slowest" | "slow")[];
}

/** Repeats of one op+description under one parent from which a span is marked N+1. */
export const N_PLUS_ONE_MIN = 5;

function spansOf(it: StoredItem): Omit<SpanRow, "depth" | "marks">[] {
  const p = rec(it.payload);
  if (it.kind === "span") {
    if (!it.span_id || it.start === undefined) return [];
    return [{
      span_id: it.span_id,
      parent_span_id: it.parent_span_id,
      op: it.op ?? "",
      description: text(p.name ?? p.description),
      status: it.status,
      start: it.start,
      end: it.end ?? it.start,
      itemId: it.id,
    }];
  }
  if (it.kind !== "transaction" || !it.span_id || it.start === undefined) return [];
  const rows: Omit<SpanRow, "depth" | "marks">[] = [{
    span_id: it.span_id,
    parent_span_id: it.parent_span_id,
    op: it.op ?? "",
    description: it.title,
    status: it.status,
    start: it.start,
    end: it.end ?? it.start,
    itemId: it.id,
  }];
  for (const s of list(p.spans).filter(isRecord)) {
    const start = num(s.start_timestamp);
    const id = optText(s.span_id);
    if (start === undefined || !id) continue;
    rows.push({
      span_id: id,
      parent_span_id: optText(s.parent_span_id),
      op: optText(s.op) ?? optText(attr(s.data, "sentry.op")) ?? "",
      description: text(s.description ?? s.name),
      status: optText(s.status),
      start,
      end: num(s.timestamp) ?? num(s.end_timestamp) ?? start,
      itemId: it.id,
    });
  }
  return rows;
}

/** The spans of a trace in tree order (children under parents, siblings by start), marked. */
export function traceSpans(items: StoredItem[]): SpanRow[] {
  const byId = new Map<string, Omit<SpanRow, "depth" | "marks">>();
  for (const it of items) {
    for (const s of spansOf(it)) if (!byId.has(s.span_id)) byId.set(s.span_id, s);
  }
  const children = new Map<string, Omit<SpanRow, "depth" | "marks">[]>();
  const roots: Omit<SpanRow, "depth" | "marks">[] = [];
  for (const s of byId.values()) {
    const parent = s.parent_span_id;
    if (parent && byId.has(parent) && parent !== s.span_id) {
      const list = children.get(parent) ?? [];
      list.push(s);
      children.set(parent, list);
    } else roots.push(s);
  }
  const out: SpanRow[] = [];
  const seen = new Set<string>();
  const visit = (s: Omit<SpanRow, "depth" | "marks">, depth: number) => {
    if (seen.has(s.span_id)) return;
    seen.add(s.span_id);
    out.push({ ...s, depth, marks: [] });
    const kids = (children.get(s.span_id) ?? []).sort((a, b) => a.start - b.start);
    for (const k of kids) visit(k, Math.min(depth + 1, 30));
  };
  for (const r of roots.sort((a, b) => a.start - b.start)) visit(r, 0);
  mark(out);
  return out;
}

function mark(rows: SpanRow[]): void {
  const groups = new Map<string, SpanRow[]>();
  for (const r of rows) {
    if (r.depth === 0) continue;
    const key = `${r.parent_span_id}\u0000${r.op}\u0000${r.description}`;
    const g = groups.get(key) ?? [];
    g.push(r);
    groups.set(key, g);
  }
  for (const g of groups.values()) {
    if (g.length >= N_PLUS_ONE_MIN) { for (const r of g) r.marks.push("n+1"); }
  }
  const start = Math.min(...rows.map((r) => r.start));
  const total = Math.max(...rows.map((r) => r.end)) - start;
  const inner = rows.filter((r) => r.depth > 0);
  if (inner.length === 0 || !(total > 0)) return;
  const slowest = inner.reduce((a, b) => (b.end - b.start > a.end - a.start ? b : a));
  slowest.marks.push("slowest");
  for (const r of inner) {
    if (r !== slowest && (r.end - r.start) >= 0.3 * total) r.marks.push("slow");
  }
}

export interface TraceSummary {
  trace_id: string;
  name: string;
  start: number;
  duration: number;
  spans: number;
  errors: number;
  logs: number;
  status?: string;
  /** Milliseconds since the epoch of the newest item (list order). */
  latest: number;
}

/** Every trace with spans in the store, newest first. */
export function traceSummaries(store: EventStore): TraceSummary[] {
  const byTrace = new Map<string, StoredItem[]>();
  for (const it of store.all((i) => i.trace_id !== undefined)) {
    const l = byTrace.get(it.trace_id!) ?? [];
    l.push(it);
    byTrace.set(it.trace_id!, l);
  }
  const out: TraceSummary[] = [];
  for (const [traceId, items] of byTrace) {
    const spans = traceSpans(items);
    if (spans.length === 0) continue;
    const root = spans[0]!;
    const start = Math.min(...spans.map((s) => s.start));
    out.push({
      trace_id: traceId,
      name: root.description || root.op || traceId,
      start,
      duration: Math.max(...spans.map((s) => s.end)) - start,
      spans: spans.length,
      errors: items.filter((i) => i.kind === "error").length,
      logs: items.filter((i) => i.kind === "log").length,
      status: root.status,
      latest: Math.max(...items.map((i) => i.received)),
    });
  }
  return out.sort((a, b) => b.latest - a.latest);
}
