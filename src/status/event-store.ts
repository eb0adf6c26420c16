// The event inbox: a ring buffer bounded by count and by bytes, newest first, plus a per-minute
// histogram for the dashboard chart. Memory stays bounded whatever clients send: the oldest
// records are dropped as soon as either bound is passed.

import type { Envelope } from "./envelope.ts";

export interface ItemSummary {
  type: string;
  size: number;
  filename?: string;
}

export interface EventRecord {
  /** 32 lowercase hex characters: the event id, or a generated one. */
  id: string;
  /** Milliseconds since the epoch. */
  received: number;
  project_id: string;
  /** The DSN public key the client used, if any (recorded, never required). */
  sentry_key: string | null;
  /** "event", "transaction", "session", … : the primary item's type. */
  kind: string;
  /** The event or transaction payload, when the envelope had one. */
  event: Record<string, unknown> | null;
  items: ItemSummary[];
  /** Bytes this record accounts for in the buffer budget. */
  size: number;
}

const PRIMARY_ORDER = ["event", "transaction", "feedback", "check_in", "log", "span", "session"];

export function randomId(): string {
  return crypto.randomUUID().replaceAll("-", "");
}

function normaliseId(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const hex = value.replaceAll("-", "").toLowerCase();
  return /^[0-9a-f]{32}$/.test(hex) ? hex : null;
}

/** One record per envelope, keyed by its event id (or a generated one). */
export function recordFromEnvelope(
  env: Envelope,
  meta: { projectId: string; sentryKey: string | null; received: number; size: number },
): EventRecord {
  const primary = PRIMARY_ORDER.map((t) => env.items.find((i) => i.type === t)).find(Boolean) ??
    env.items[0];
  const payload = primary && (primary.type === "event" || primary.type === "transaction" ||
      primary.type === "feedback") &&
      typeof primary.json === "object" && primary.json !== null
    ? primary.json as Record<string, unknown>
    : null;
  const id = normaliseId(env.header.event_id) ?? normaliseId(payload?.event_id) ?? randomId();
  return {
    id,
    received: meta.received,
    project_id: meta.projectId,
    sentry_key: meta.sentryKey,
    kind: primary?.type ?? "empty",
    event: payload,
    items: env.items.map((i) => ({
      type: i.type,
      size: i.size,
      ...(typeof i.header.filename === "string" ? { filename: i.header.filename } : {}),
    })),
    size: meta.size,
  };
}

export class EventStore {
  #records: EventRecord[] = [];
  #bytes = 0;
  #listeners = new Set<(r: EventRecord) => void>();
  /** Per-minute counts keyed by minute start (ms), kept for the chart window only. */
  #perMinute = new Map<number, number>();
  readonly maxEvents: number;
  readonly maxBytes: number;

  constructor(opts: { maxEvents?: number; maxBytes?: number } = {}) {
    this.maxEvents = opts.maxEvents ?? 1000;
    this.maxBytes = opts.maxBytes ?? 64 * 1024 * 1024;
  }

  add(record: EventRecord): void {
    this.#records.push(record);
    this.#bytes += record.size;
    while (
      this.#records.length > this.maxEvents ||
      (this.#bytes > this.maxBytes && this.#records.length > 1)
    ) {
      const dropped = this.#records.shift()!;
      this.#bytes -= dropped.size;
    }
    const minute = Math.floor(record.received / 60_000) * 60_000;
    this.#perMinute.set(minute, (this.#perMinute.get(minute) ?? 0) + 1);
    for (const key of this.#perMinute.keys()) {
      if (key < minute - 60 * 60_000) this.#perMinute.delete(key);
    }
    for (const l of this.#listeners) l(record);
  }

  get size(): number {
    return this.#records.length;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** Newest first, from `offset`. */
  page(offset: number, limit: number): EventRecord[] {
    const out: EventRecord[] = [];
    for (let i = this.#records.length - 1 - offset; i >= 0 && out.length < limit; i--) {
      out.push(this.#records[i]!);
    }
    return out;
  }

  get(id: string): EventRecord | undefined {
    const key = normaliseId(id);
    if (!key) return undefined;
    for (let i = this.#records.length - 1; i >= 0; i--) {
      if (this.#records[i]!.id === key) return this.#records[i];
    }
    return undefined;
  }

  clear(): void {
    this.#records = [];
    this.#bytes = 0;
  }

  /** Counts for the `minutes` minutes up to and including the one holding `now`, oldest first. */
  perMinute(now: number, minutes: number): number[] {
    const current = Math.floor(now / 60_000) * 60_000;
    const out: number[] = [];
    for (let i = minutes - 1; i >= 0; i--) out.push(this.#perMinute.get(current - i * 60_000) ?? 0);
    return out;
  }

  subscribe(listener: (r: EventRecord) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
