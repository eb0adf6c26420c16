// What the MCP tools answer (Spotlight's `search_errors`, `search_logs`, `search_traces`,
// `get_traces`), as Markdown for an AI assistant, from the envelope feed. Filters as Spotlight
// has them: a time window in seconds (60 when none is given), a file name (a stack frame's, a
// log's `code.file.path`, a span's `code.filepath`, matched by suffix), or limit/offset over
// the results. Pure functions of the entries and the clock.

import { parseEnvelope } from "./envelope.ts";
import type { FeedEntry } from "./feed.ts";

export interface ToolFilters {
  timeWindow?: number;
  filename?: string;
  limit?: number;
  offset?: number;
}

type Obj = Record<string, unknown>;

interface Item {
  type: string;
  payload: Obj;
  received: number;
}

function obj(v: unknown): Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? v as Obj : {};
}

function str(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

function iso(seconds: unknown, fallback: number): string {
  const ms = typeof seconds === "number" ? seconds * 1000 : Date.parse(String(seconds));
  return new Date(Number.isFinite(ms) ? ms : fallback).toISOString();
}

/** Inline code that survives backticks in the text. */
function code(text: string): string {
  const t = text.replace(/\r?\n/g, " ");
  return t.includes("`") ? `\`\` ${t} \`\`` : `\`${t}\``;
}

/** The items of the entries in the time window (newest envelope first), typed. */
function items(entries: readonly FeedEntry[], f: ToolFilters, now: number): Item[] {
  const window = f.filename || f.limit !== undefined ? undefined : f.timeWindow ?? 60;
  const out: Item[] = [];
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i]!;
    if (window !== undefined && e.received < now - window * 1000) continue;
    let env;
    try {
      env = parseEnvelope(e.body);
    } catch {
      continue;
    }
    for (const it of env.items) {
      out.push({ type: it.type, payload: obj(it.json), received: e.received });
    }
  }
  return out;
}

function page<T>(list: T[], f: ToolFilters): T[] {
  if (f.limit === undefined) return list;
  const offset = Math.max(0, Math.floor(f.offset ?? 0));
  return list.slice(offset, offset + Math.max(0, Math.floor(f.limit)));
}

function exceptions(e: Obj): Obj[] {
  const v = obj(e.exception).values;
  return Array.isArray(v) ? v.map(obj) : [];
}

function frames(exc: Obj): Obj[] {
  const f = obj(exc.stacktrace).frames;
  return Array.isArray(f) ? f.map(obj) : [];
}

function endsWithFile(path: unknown, name: string): boolean {
  return typeof path === "string" && (path === name || path.endsWith(`/${name}`) ||
    path.endsWith(`\\${name}`) || path.endsWith(name));
}

function errorTitle(e: Obj): string {
  const ex = exceptions(e);
  const last = ex[ex.length - 1];
  if (last && (str(last.type) || str(last.value))) {
    return [str(last.type), str(last.value)].filter(Boolean).join(": ");
  }
  const m = e.message;
  if (typeof m === "string" && m !== "") return m;
  const le = obj(e.logentry ?? m);
  return str(le.formatted) ?? str(le.message) ?? "(no message)";
}

function errorMarkdown(e: Obj, received: number): string {
  const lines = [`## ${errorTitle(e)}`, ""];
  lines.push(`- **Level:** ${str(e.level) ?? "error"}`);
  lines.push(`- **Time:** ${iso(e.timestamp, received)}`);
  if (str(e.event_id)) lines.push(`- **Event ID:** ${code(e.event_id as string)}`);
  for (const [k, label] of [["release", "Release"], ["environment", "Environment"]]) {
    if (str(e[k!])) lines.push(`- **${label}:** ${code(e[k!] as string)}`);
  }
  const req = obj(e.request);
  if (str(req.url)) lines.push(`- **Request:** ${code(`${str(req.method) ?? "GET"} ${req.url}`)}`);
  const tags = e.tags;
  const tagList = Array.isArray(tags)
    ? tags.filter(Array.isArray).map((t) => `${t[0]}=${t[1]}`)
    : Object.entries(obj(tags)).map(([k, v]) => `${k}=${v}`);
  if (tagList.length > 0) lines.push(`- **Tags:** ${tagList.map(code).join(", ")}`);
  for (const ex of [...exceptions(e)].reverse()) {
    const fr = frames(ex);
    if (fr.length === 0) continue;
    lines.push("", `### Stack trace of ${code(errorTitle({ exception: { values: [ex] } }))}`, "");
    lines.push("Most recent call first:", "");
    for (const f of [...fr].reverse().slice(0, 30)) {
      const file = str(f.filename) ?? str(f.abs_path) ?? str(f.module) ?? "?";
      const at = typeof f.lineno === "number"
        ? `${file}:${f.lineno}${typeof f.colno === "number" ? `:${f.colno}` : ""}`
        : file;
      const fn = str(f.function) ? ` in ${code(f.function as string)}` : "";
      const app = f.in_app === true ? " (in app)" : "";
      lines.push(`- ${code(at)}${fn}${app}`);
      if (typeof f.context_line === "string") lines.push(`  - ${code(f.context_line.trim())}`);
    }
  }
  return lines.join("\n");
}

export function searchErrors(entries: readonly FeedEntry[], f: ToolFilters, now: number): string[] {
  const found = items(entries, f, now).filter((it) =>
    it.type === "event" && (exceptions(it.payload).length > 0 || it.payload.message !== undefined ||
      it.payload.logentry !== undefined) &&
    (!f.filename ||
      exceptions(it.payload).some((ex) =>
        frames(ex).some((fr) => endsWithFile(fr.filename ?? fr.abs_path, f.filename!))
      ))
  );
  return page(found.map((it) => errorMarkdown(it.payload, it.received)), f);
}

function logRecords(it: Item): Obj[] {
  return Array.isArray(it.payload.items) ? it.payload.items.map(obj) : [it.payload];
}

function attr(r: Obj, key: string): unknown {
  return obj(obj(r.attributes)[key]).value;
}

export function searchLogs(entries: readonly FeedEntry[], f: ToolFilters, now: number): string[] {
  const out: string[] = [];
  for (const it of items(entries, f, now)) {
    if (it.type !== "log") continue;
    for (const r of logRecords(it)) {
      if (
        f.filename &&
        !endsWithFile(attr(r, "code.file.path") ?? attr(r, "code.filepath"), f.filename)
      ) continue;
      const attrs = Object.entries(obj(r.attributes))
        .filter(([k]) => !k.startsWith("sentry."))
        .map(([k, a]) => `${k}=${JSON.stringify(obj(a).value)}`);
      const trace = str(r.trace_id) ? ` · trace ${code(r.trace_id as string)}` : "";
      const body = typeof r.body === "string" ? r.body : JSON.stringify(r.body ?? "");
      out.push(
        `- **${(str(r.level) ?? "info").toUpperCase()}** ${iso(r.timestamp, it.received)} ${
          code(body)
        }${trace}${attrs.length > 0 ? ` · ${attrs.map(code).join(" ")}` : ""}`,
      );
    }
  }
  return page(out, f);
}

export interface SpanNode {
  span_id: string;
  parent_span_id?: string;
  op?: string;
  description?: string;
  status?: string;
  start: number;
  end: number;
  children: SpanNode[];
}

export interface Trace {
  trace_id: string;
  root?: string;
  start: number;
  end: number;
  spans: SpanNode[];
  errors: number;
}

function spanOf(s: Obj): SpanNode | null {
  const id = str(s.span_id);
  if (!id) return null;
  const start = typeof s.start_timestamp === "number" ? s.start_timestamp : 0;
  const endRaw = s.timestamp ?? s.end_timestamp;
  return {
    span_id: id,
    parent_span_id: str(s.parent_span_id),
    op: str(s.op),
    description: str(s.description) ?? str(s.name),
    status: str(s.status),
    start,
    end: typeof endRaw === "number" ? endRaw : start,
    children: [],
  };
}

/** Traces by id from transactions, span items and errors (which count against their trace). */
export function collectTraces(all: Item[], filename?: string): Map<string, Trace> {
  const traces = new Map<string, Trace>();
  const get = (id: string) => {
    let t = traces.get(id);
    if (!t) {
      t = { trace_id: id, start: Infinity, end: -Infinity, spans: [], errors: 0 };
      traces.set(id, t);
    }
    return t;
  };
  const add = (t: Trace, s: SpanNode | null) => {
    if (!s || t.spans.some((x) => x.span_id === s.span_id)) return;
    t.spans.push(s);
    t.start = Math.min(t.start, s.start);
    t.end = Math.max(t.end, s.end);
  };
  for (const it of all) {
    const p = it.payload;
    if (it.type === "transaction") {
      const ctx = obj(obj(p.contexts).trace);
      const id = str(ctx.trace_id);
      if (!id) continue;
      const spans = Array.isArray(p.spans) ? p.spans.map(obj) : [];
      if (filename && !spans.some((s) => endsWithFile(obj(s.data)["code.filepath"], filename))) {
        continue;
      }
      const t = get(id);
      const root = spanOf({ ...ctx, start_timestamp: p.start_timestamp, timestamp: p.timestamp });
      if (root) root.description = str(p.transaction) ?? root.description;
      add(t, root);
      if (!t.root || !root?.parent_span_id) t.root = str(p.transaction) ?? t.root;
      for (const s of spans) add(t, spanOf(s));
    } else if (it.type === "span") {
      const id = str(p.trace_id);
      if (!id || (filename && !endsWithFile(obj(p.data)["code.filepath"], filename))) continue;
      const t = get(id);
      const s = spanOf(p);
      add(t, s);
      if (s && !s.parent_span_id) t.root = s.description ?? t.root;
    } else if (it.type === "event") {
      const id = str(obj(obj(p.contexts).trace).trace_id);
      if (id && traces.has(id)) traces.get(id)!.errors++;
    }
  }
  return traces;
}

const ms = (seconds: number) => `${Math.round(seconds * 1000 * 10) / 10} ms`;

export function searchTraces(entries: readonly FeedEntry[], f: ToolFilters, now: number): string[] {
  const traces = [...collectTraces(items(entries, f, now), f.filename).values()]
    .filter((t) => t.spans.length > 0)
    .sort((a, b) => b.start - a.start);
  const lines = page(
    traces.map((t) =>
      `- ${code(t.trace_id.slice(0, 8))} **${t.root ?? "(no root)"}** · ${
        ms(t.end - t.start)
      } · ${t.spans.length} spans · ${t.errors} errors · started ${
        new Date(t.start * 1000).toISOString()
      } · id ${code(t.trace_id)}`
    ),
    f,
  );
  return lines;
}

/** The span tree of one trace (full id or a prefix of at least 8 characters), or null. */
export function getTrace(entries: readonly FeedEntry[], traceId: string): string | null {
  const id = traceId.trim().toLowerCase();
  const traces = collectTraces(items(entries, { limit: Infinity }, 0));
  let t = traces.get(id);
  if (!t && id.length >= 8) t = [...traces.values()].find((x) => x.trace_id.startsWith(id));
  if (!t) return null;
  const byId = new Map(t.spans.map((s) => [s.span_id, { ...s, children: [] as SpanNode[] }]));
  const roots: SpanNode[] = [];
  for (const s of byId.values()) {
    const parent = s.parent_span_id ? byId.get(s.parent_span_id) : undefined;
    if (parent) parent.children.push(s);
    else roots.push(s);
  }
  const lines = [
    `# Trace ${code(t.trace_id)}`,
    "",
    `**${t.root ?? "(no root)"}** · ${
      ms(t.end - t.start)
    } · ${t.spans.length} spans · ${t.errors} errors`,
    "",
  ];
  const walk = (s: SpanNode, depth: number) => {
    const label = [s.op ? `**${s.op}**` : null, s.description ? code(s.description) : null]
      .filter(Boolean).join(" ");
    const status = s.status && s.status !== "ok" ? ` · ${s.status}` : "";
    lines.push(
      `${"  ".repeat(depth)}- ${label || code(s.span_id)} · ${ms(s.end - s.start)} (+${
        ms(s.start - t!.start)
      })${status}`,
    );
    for (const c of s.children.sort((a, b) => a.start - b.start)) walk(c, depth + 1);
  };
  for (const r of roots.sort((a, b) => a.start - b.start)) walk(r, 0);
  return lines.join("\n");
}
