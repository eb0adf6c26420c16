// The stored-item model (SPEC §7a): every item of every envelope is kept and classified by
// what it is (an error or message event, a transaction, a span, a log record, a session, a
// client report, an attachment, a profile, feedback, …), with an id, and the fields views
// filter and title by made strings once, here at ingest. Log and span containers
// (`items: [...]`) become one stored item per record. Payloads stay the JSON the SDK sent.

import { Buffer } from "node:buffer";
import { type Envelope, type EnvelopeItem, payloadEventId } from "./envelope.ts";
import type { ItemKind, StoredItem } from "./item-types.ts";
import { attr, exceptionValues, messageOf } from "./shapes.ts";
import { itemTitle } from "./titles.ts";
import { isRecord, num, optText, rec, text } from "./values.ts";

let pool = "";
let poolAt = 0;

/**
 * 32 random hex characters. Ingest makes one per log record and span, so random bytes are
 * drawn 2 KiB at a time, hex-encoded once into one string, and each id is a slice of it
 * (`randomUUID().replaceAll` cost ~6 µs each). A slice is one flat string: an id built by
 * appending 16 pieces was a rope of 16 strings, and every id kept in the inbox made the
 * garbage collector mark all of them.
 */
export function randomId(): string {
  if (poolAt + 32 > pool.length) {
    pool = Buffer.from(crypto.getRandomValues(new Uint8Array(2048))).toString("hex");
    poolAt = 0;
  }
  const id = pool.slice(poolAt, poolAt + 32);
  poolAt += 32;
  return id;
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

// Parsed payloads read back lately (a page, the API, a trace view), by their bytes: records of one
// container share the bytes, so a trace or log view parses each container once.
const PARSED_KEEP = 256;
const parsed = new Map<Uint8Array, unknown>();
const utf8 = new TextDecoder();

function parseKept(bytes: Uint8Array): unknown {
  let value = parsed.get(bytes);
  if (value === undefined) {
    value = JSON.parse(utf8.decode(bytes));
    if (parsed.size >= PARSED_KEEP) parsed.delete(parsed.keys().next().value!);
    parsed.set(bytes, value);
  }
  return value;
}

/**
 * A stored item with every field present, in one order (one object shape for every item keeps
 * ingest's per-item cost low). The payload is not kept parsed: a parsed payload is hundreds of
 * small objects and strings, and a full inbox of them made every garbage collection mark half a
 * million objects, which became most of ingest's cost (and its latency tail). The item keeps the
 * payload's bytes (a view into the stored envelope) and parses them again when read.
 */
class Item implements StoredItem {
  id = "";
  kind: ItemKind;
  type: string;
  envelope: number;
  received: number;
  timestamp: number;
  project_id: string;
  title = "";
  level: string | undefined = undefined;
  release: string | undefined = undefined;
  environment: string | undefined = undefined;
  platform: string | undefined = undefined;
  errorType: string | undefined = undefined;
  trace_id: string | undefined = undefined;
  span_id: string | undefined = undefined;
  parent_span_id: string | undefined = undefined;
  op: string | undefined = undefined;
  status: string | undefined = undefined;
  start: number | undefined = undefined;
  end: number | undefined = undefined;
  header: Record<string, unknown>;
  bytes: Uint8Array | undefined = undefined;
  filename: string | undefined = undefined;
  content_type: string | undefined = undefined;
  size: number;
  /** The payload while it is classified; after `settle()`, only when it has no `#source`. */
  #value: unknown;
  /** The JSON text's bytes the payload is parsed from again (the container's for a record). */
  #source: Uint8Array | undefined;
  /** The record's index in the container's `items`, or -1 for the whole payload. */
  #record: number;

  constructor(
    item: EnvelopeItem,
    meta: Meta,
    kind: ItemKind,
    payload: unknown,
    size: number,
    record: number,
  ) {
    this.kind = kind;
    this.type = item.type;
    this.envelope = meta.seq;
    this.received = meta.received;
    this.timestamp = meta.received;
    this.project_id = meta.projectId;
    this.header = item.header;
    this.size = size;
    this.#value = payload;
    this.#source = item.json !== undefined && item.json !== null ? item.bytes : undefined;
    this.#record = record;
  }

  /** The JSON the SDK sent for this item (one record of a container); null for binaries. */
  get payload(): unknown {
    if (this.#value !== undefined || !this.#source) return this.#value ?? null;
    const whole = parseKept(this.#source);
    if (this.#record < 0) return whole;
    return (rec(whole).items as unknown[])[this.#record];
  }

  set payload(value: unknown) {
    this.#value = value;
    this.#source = undefined;
  }

  /** Drops the parsed payload once classified, when it can be parsed again from its bytes. */
  settle(): void {
    if (this.#source) this.#value = undefined;
  }
}

function base(
  item: EnvelopeItem,
  meta: Meta,
  kind: ItemKind,
  payload: unknown,
  size: number,
  record = -1,
): Item {
  return new Item(item, meta, kind, payload, size, record);
}

function eventItem(item: EnvelopeItem, meta: Meta, envelopeId: string | null): Item {
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

function spanItem(
  item: EnvelopeItem,
  meta: Meta,
  s: Record<string, unknown>,
  size: number,
  record = -1,
) {
  const attrs = s.attributes;
  const out = base(item, meta, "span", s, size, record);
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

function logItem(
  item: EnvelopeItem,
  meta: Meta,
  r: Record<string, unknown>,
  size: number,
  record = -1,
) {
  const attrs = r.attributes;
  const out = base(item, meta, "log", r, size, record);
  out.timestamp = secondsToMs(r.timestamp) ?? meta.received;
  out.level = optText(r.level) ?? optText(r.severity_text) ?? "info";
  out.release = optText(attr(attrs, "sentry.release"));
  out.environment = optText(attr(attrs, "sentry.environment"));
  out.trace_id = optText(r.trace_id);
  out.parent_span_id = optText(attr(attrs, "sentry.trace.parent_span_id"));
  return out;
}

/** The stored items of one envelope item (several for a log or span container). */
function classify(item: EnvelopeItem, meta: Meta, envelopeId: string | null): Item[] {
  const kind: ItemKind = item.type === "event" ? "error" : KIND_OF_TYPE[item.type] ?? "other";
  const json = item.json;
  if (item.type === "event" || item.type === "transaction" || item.type === "feedback") {
    return [eventItem(item, meta, envelopeId)];
  }
  if ((kind === "log" || kind === "span") && isRecord(json) && Array.isArray(json.items)) {
    const share = Math.ceil(item.size / Math.max(1, json.items.filter(isRecord).length));
    const out: Item[] = [];
    json.items.forEach((r, i) => {
      if (!isRecord(r)) return;
      out.push(
        kind === "log" ? logItem(item, meta, r, share, i) : spanItem(item, meta, r, share, i),
      );
    });
    return out;
  }
  if (kind === "span" && isRecord(json)) return [spanItem(item, meta, json, item.size)];
  if (kind === "log" && isRecord(json)) return [logItem(item, meta, json, item.size)];
  const out = base(item, meta, kind, json ?? item.text ?? null, item.size);
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

/**
 * Every item of an envelope, classified, titled and with its id; in envelope order. An item
 * without an id of its own gets a random one, except the envelope's primary item (its first
 * event or transaction; without one and without an envelope event id, its first item), which
 * gets `primaryId` when given: the id ingest already answered with (`primaryIdOf`).
 */
export function storedItems(
  env: Envelope,
  meta: Meta & { primaryId?: string },
): StoredItem[] {
  const envelopeId = normaliseId(env.header.event_id);
  const items = env.items.flatMap((i) => classify(i, meta, envelopeId));
  let primary = items.findIndex((it) => it.type === "event" || it.type === "transaction");
  if (primary < 0 && envelopeId === null) primary = 0;
  // An envelope's event id belongs to its one event, not to each item of the envelope.
  let idUsed = false;
  for (let i = 0; i < items.length; i++) {
    const it = items[i]!;
    if (it.id === envelopeId) {
      if (idUsed) it.id = "";
      idUsed = true;
    }
    if (it.id === "") it.id = i === primary && meta.primaryId ? meta.primaryId : randomId();
    it.title = text(itemTitle(it), 1000);
    it.settle();
  }
  return items;
}

/** The id of the primary item `storedItems` keeps its own, or null when it would draw one. */
function ownId(item: EnvelopeItem, envelopeId: string | null): string {
  return normaliseId(payloadEventId(item)) ?? envelopeId ?? "";
}

/**
 * The id the event store will give an envelope (StoredEnvelope.primaryId), without
 * classifying it: what ingest answers before the envelope is stored. Null when that id will be
 * drawn at random (then pass one to the store as `primaryId`). Follows `storedItems`' rules.
 */
export function primaryIdOf(env: Envelope): string | null {
  const envelopeId = normaliseId(env.header.event_id);
  let idUsed = false;
  let first: string | undefined;
  for (const item of env.items) {
    const isEvent = item.type === "event" || item.type === "transaction";
    const hasOwn = isEvent || item.type === "feedback";
    // A log or span container without records stores nothing: it is not the first item.
    const kind = KIND_OF_TYPE[item.type];
    if (kind === "log" || kind === "span") {
      const json = item.json;
      if (isRecord(json) && Array.isArray(json.items) && !json.items.some(isRecord)) continue;
    }
    let id = hasOwn ? ownId(item, envelopeId) : "";
    if (id !== "" && id === envelopeId) {
      if (idUsed) id = "";
      idUsed = true;
    }
    if (isEvent) return id === "" ? null : id;
    first ??= id;
  }
  return envelopeId ?? (first || null);
}

export type { ItemKind, StoredEnvelope, StoredItem } from "./item-types.ts";
