// The inbox: envelopes in a ring bounded by count and by bytes (the oldest dropped as soon as
// either bound is passed, with all their items), every item indexed by id, newest first, plus
// a per-minute histogram for the dashboard chart. Memory stays bounded whatever clients send.

import type { Envelope } from "./envelope.ts";
import type { StoredEnvelope, StoredItem } from "./item-types.ts";
import { normaliseId, randomId, storedItems } from "./items.ts";

export { randomId };

export interface EnvelopeMeta {
  projectId: string;
  sentryKey: string | null;
  received: number;
  /** The decompressed envelope bytes (kept for raw download; counted in the byte budget). */
  raw: Uint8Array;
}

export class EventStore {
  #envelopes: StoredEnvelope[] = [];
  #items: StoredItem[] = [];
  #byId = new Map<string, StoredItem>();
  #bytes = 0;
  #seq = 0;
  #listeners = new Set<(e: StoredEnvelope) => void>();
  #clearListeners = new Set<() => void>();
  /** Per-minute counts keyed by minute start (ms), kept for the chart window only. */
  #perMinute = new Map<number, number>();
  readonly maxEvents: number;
  readonly maxBytes: number;

  constructor(opts: { maxEvents?: number; maxBytes?: number } = {}) {
    this.maxEvents = opts.maxEvents ?? 1000;
    this.maxBytes = opts.maxBytes ?? 64 * 1024 * 1024;
  }

  /** Classifies and stores an envelope; returns what was stored (listeners see it too). */
  add(env: Envelope, meta: EnvelopeMeta): StoredEnvelope {
    const seq = ++this.#seq;
    const items = storedItems(env, { seq, received: meta.received, projectId: meta.projectId });
    const stored: StoredEnvelope = {
      seq,
      received: meta.received,
      project_id: meta.projectId,
      sentry_key: meta.sentryKey,
      header: env.header,
      raw: meta.raw,
      items,
      primaryId: items.find((i) => i.type === "event" || i.type === "transaction")?.id ??
        normaliseId(env.header.event_id) ?? items[0]?.id ?? randomId(),
      size: Math.max(meta.raw.length, 1),
    };
    this.#envelopes.push(stored);
    for (const it of items) {
      this.#items.push(it);
      this.#byId.set(it.id, it);
    }
    this.#bytes += stored.size;
    while (
      this.#envelopes.length > this.maxEvents ||
      (this.#bytes > this.maxBytes && this.#envelopes.length > 1)
    ) this.#drop();
    const minute = Math.floor(meta.received / 60_000) * 60_000;
    this.#perMinute.set(minute, (this.#perMinute.get(minute) ?? 0) + 1);
    for (const key of this.#perMinute.keys()) {
      if (key < minute - 60 * 60_000) this.#perMinute.delete(key);
    }
    for (const l of this.#listeners) l(stored);
    return stored;
  }

  #drop(): void {
    const dropped = this.#envelopes.shift()!;
    this.#bytes -= dropped.size;
    // The dropped envelope's items are the oldest ones, at the front.
    this.#items.splice(0, dropped.items.length);
    for (const it of dropped.items) {
      if (this.#byId.get(it.id) === it) this.#byId.delete(it.id);
    }
  }

  /** Number of envelopes held. */
  get size(): number {
    return this.#envelopes.length;
  }

  /** Number of items held. */
  get itemCount(): number {
    return this.#items.length;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** Items newest first, from `offset`, keeping those `filter` accepts. */
  page(offset: number, limit: number, filter?: (it: StoredItem) => boolean): StoredItem[] {
    const out: StoredItem[] = [];
    let skipped = 0;
    for (let i = this.#items.length - 1; i >= 0 && out.length < limit; i--) {
      const it = this.#items[i]!;
      if (filter && !filter(it)) continue;
      if (skipped++ < offset) continue;
      out.push(it);
    }
    return out;
  }

  /** Every item `filter` accepts, newest first. */
  all(filter?: (it: StoredItem) => boolean): StoredItem[] {
    return this.page(0, Number.MAX_SAFE_INTEGER, filter);
  }

  get(id: string): StoredItem | undefined {
    const key = normaliseId(id);
    return key ? this.#byId.get(key) : undefined;
  }

  /** Envelopes with a sequence number above `after`, oldest first (replay for a reader). */
  envelopes(after = 0): StoredEnvelope[] {
    return this.#envelopes.filter((e) => e.seq > after);
  }

  envelope(seq: number): StoredEnvelope | undefined {
    return this.#envelopes.find((e) => e.seq === seq);
  }

  /** Items sharing a trace id, oldest first. */
  trace(traceId: string): StoredItem[] {
    return this.#items.filter((it) => it.trace_id === traceId);
  }

  clear(): void {
    this.#envelopes = [];
    this.#items = [];
    this.#byId.clear();
    this.#bytes = 0;
    for (const l of this.#clearListeners) l();
  }

  /** Counts for the `minutes` minutes up to and including the one holding `now`, oldest first. */
  perMinute(now: number, minutes: number): number[] {
    const current = Math.floor(now / 60_000) * 60_000;
    const out: number[] = [];
    for (let i = minutes - 1; i >= 0; i--) out.push(this.#perMinute.get(current - i * 60_000) ?? 0);
    return out;
  }

  /** Called with every stored envelope; returns the unsubscribe function. */
  subscribe(listener: (e: StoredEnvelope) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Called after `clear()`; returns the unsubscribe function. */
  onClear(listener: () => void): () => void {
    this.#clearListeners.add(listener);
    return () => this.#clearListeners.delete(listener);
  }
}
