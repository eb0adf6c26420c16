// The stored-item model (SPEC §7a): every item of every envelope is kept and classified by
// what it is (an error or message event, a transaction, a span, a log record, a session, a
// client report, an attachment, a profile, feedback, …), with an id, and the fields views
// filter and title by made strings once, here at ingest. Log and span containers
// (`items: [...]`) become one stored item per record. Payloads stay the JSON the SDK sent.

import type { Envelope, EnvelopeItem } from "./envelope.ts";
import type { ItemKind, StoredItem } from "./item-types.ts";
import { attr, exceptionValues, messageOf } from "./shapes.ts";
import { itemTitle } from "./titles.ts";
import { isRecord, num, optText, rec, text } from "./values.ts";

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
let pool = new Uint8Array(0);
let poolAt = 0;

/**
 * 32 random hex characters. Ingest makes one per log record and span, so random bytes are
 * drawn 4 KiB at a time and hex-encoded by table (`randomUUID().replaceAll` cost ~6 µs each).
 */
export function randomId(): string {
  if (poolAt + 16 > pool.length) {
    pool = crypto.getRandomValues(new Uint8Array(4096));
    poolAt = 0;
  }
  let out = "";
  for (let i = 0; i < 16; i++) out += HEX[pool[poolAt++]!];
  return out;
}

export function normaliseId(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const hex = value.replaceAll("-", "").toLowerCase();
  return /^[0-9a-f]{32}$/.test(hex) ? hex : null;
}

const KIND_OF_TYPE: Record<string, ItemKind> = {
  transaction: "transaction",
  span: "span",
  log: "log",
  otel_log: "log",
  session: "session",
  sessions: "session",
  client_report: "client_report",
  attachment: "attachment",
  profile: "profile",
  profile_chunk: "profile",
  feedback: "feedback",
  user_report: "feedback",
  check_in: "check_in",
  replay_event: "replay",
  replay_recording: "replay",
  replay_video: "replay",
  statsd: "metric",
  metric_buckets: "metric",
  trace_metric: "metric",
};

/** An event item is an error when it carries a real (not synthetic) exception. */
function eventKind(e: Record<string, unknown>): ItemKind {
  const values = exceptionValues(e);
  const real = values.some((v) => !rec(rec(v).mechanism).synthetic && optText(rec(v).type));
  if (real) return "error";
  return messageOf(e) !== undefined ? "message" : "error";
}

/** A timestamp (seconds, or an ISO string) as ms, when it is a date JavaScript can hold. */
function secondsToMs(value: unknown): number | undefined {
  const ms = typeof value === "number"
    ? value * 1000
    : typeof value === "string"
    ? Date.parse(value)
    : NaN;
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? ms : undefined;
}

interface Meta {
  seq: number;
  received: number;
  projectId: string;
}

/**
 * A stored item with every field present, in one order: items then share one object shape,
 * which keeps ingest's per-item cost low (no spreads, no shape changes afterwards).
 */
function base(
  item: EnvelopeItem,
  meta: Meta,
  kind: ItemKind,
  payload: unknown,
  size: number,
): StoredItem {
  return {
    id: "",
    kind,
    type: item.type,
    envelope: meta.seq,
    received: meta.received,
    timestamp: meta.received,
    project_id: meta.projectId,
    title: "",
    level: undefined,
    release: undefined,
    environment: undefined,
    platform: undefined,
    errorType: undefined,
    trace_id: undefined,
    span_id: undefined,
    parent_span_id: undefined,
    op: undefined,
    status: undefined,
    start: undefined,
    end: undefined,
    header: item.header,
    payload,
    bytes: undefined,
    filename: undefined,
    content_type: undefined,
    size,
  };
}

function eventItem(item: EnvelopeItem, meta: Meta, envelopeId: string | null): StoredItem {
  const e = rec(item.json);
  const kind = item.type === "event" ? eventKind(e) : KIND_OF_TYPE[item.type] ?? "other";
  const trace = rec(rec(e.contexts).trace);
  const out = base(item, meta, kind, item.json ?? null, item.size);
  out.id = normaliseId(e.event_id) ?? envelopeId ?? "";
  out.timestamp = secondsToMs(e.timestamp) ?? meta.received;
  // Sentry stores an event without a level as "error".
  out.level = optText(e.level) ?? (item.type === "event" ? "error" : undefined);
  out.release = optText(e.release);
  out.environment = optText(e.environment);
  out.platform = optText(e.platform);
  if (kind === "error") {
    const exs = exceptionValues(e);
    out.errorType = optText(rec(exs[exs.length - 1]).type);
  }
  out.trace_id = optText(trace.trace_id);
  out.span_id = optText(trace.span_id);
  out.parent_span_id = optText(trace.parent_span_id);
  out.op = optText(trace.op);
  out.status = optText(trace.status);
  out.start = num(e.start_timestamp);
  out.end = num(e.timestamp);
  return out;
}

function spanItem(item: EnvelopeItem, meta: Meta, s: Record<string, unknown>, size: number) {
  const attrs = s.attributes;
  const out = base(item, meta, "span", s, size);
  out.timestamp = secondsToMs(s.start_timestamp) ?? meta.received;
  out.release = optText(attr(attrs, "sentry.release"));
  out.environment = optText(attr(attrs, "sentry.environment"));
  out.trace_id = optText(s.trace_id);
  out.span_id = optText(s.span_id);
  out.parent_span_id = optText(s.parent_span_id);
  out.op = optText(s.op) ?? optText(attr(attrs, "sentry.op"));
  out.status = optText(s.status);
  out.start = num(s.start_timestamp);
  out.end = num(s.end_timestamp) ?? num(s.timestamp);
  return out;
}

function logItem(item: EnvelopeItem, meta: Meta, r: Record<string, unknown>, size: number) {
  const attrs = r.attributes;
  const out = base(item, meta, "log", r, size);
  out.timestamp = secondsToMs(r.timestamp) ?? meta.received;
  out.level = optText(r.level) ?? optText(r.severity_text) ?? "info";
  out.release = optText(attr(attrs, "sentry.release"));
  out.environment = optText(attr(attrs, "sentry.environment"));
  out.trace_id = optText(r.trace_id);
  out.parent_span_id = optText(attr(attrs, "sentry.trace.parent_span_id"));
  return out;
}

/** The stored items of one envelope item (several for a log or span container). */
function classify(item: EnvelopeItem, meta: Meta, envelopeId: string | null): StoredItem[] {
  const kind: ItemKind = item.type === "event" ? "error" : KIND_OF_TYPE[item.type] ?? "other";
  const json = item.json;
  if (item.type === "event" || item.type === "transaction" || item.type === "feedback") {
    return [eventItem(item, meta, envelopeId)];
  }
  if ((kind === "log" || kind === "span") && isRecord(json) && Array.isArray(json.items)) {
    const records = json.items.filter(isRecord);
    const share = Math.ceil(item.size / Math.max(1, records.length));
    return records.map((r) =>
      kind === "log" ? logItem(item, meta, r, share) : spanItem(item, meta, r, share)
    );
  }
  if (kind === "span" && isRecord(json)) return [spanItem(item, meta, json, item.size)];
  if (kind === "log" && isRecord(json)) return [logItem(item, meta, json, item.size)];
  const out: StoredItem = base(item, meta, kind, json ?? item.text ?? null, item.size);
  if (kind === "attachment") {
    out.bytes = item.bytes;
    out.filename = optText(item.header.filename) ?? "attachment";
    out.content_type = optText(item.header.content_type) ?? "application/octet-stream";
    out.payload = { filename: out.filename, content_type: out.content_type, size: item.size };
  }
  if (kind === "session" && isRecord(json)) {
    const attrs = rec(json.attrs);
    out.release = optText(attrs.release);
    out.environment = optText(attrs.environment);
    out.status = optText(json.status);
    out.timestamp = secondsToMs(json.timestamp) ?? meta.received;
  }
  if (kind === "check_in" && isRecord(json)) out.status = optText(json.status);
  if (kind === "profile" && isRecord(json)) {
    out.release = optText(json.release);
    out.environment = optText(json.environment);
    out.platform = optText(json.platform);
  }
  return [out];
}

/** Every item of an envelope, classified, titled and with its id; in envelope order. */
export function storedItems(
  env: Envelope,
  meta: Meta,
): StoredItem[] {
  const envelopeId = normaliseId(env.header.event_id);
  const items = env.items.flatMap((i) => classify(i, meta, envelopeId));
  // An envelope's event id belongs to its one event, not to each item of the envelope.
  let idUsed = false;
  for (const it of items) {
    if (it.id === envelopeId) {
      if (idUsed) it.id = "";
      idUsed = true;
    }
    if (it.id === "") it.id = randomId();
    it.title = text(itemTitle(it), 1000);
  }
  return items;
}

export type { ItemKind, StoredEnvelope, StoredItem } from "./item-types.ts";
