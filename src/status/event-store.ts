// The inbox: envelopes in a ring bounded by count and by bytes (the oldest dropped as soon as
// either bound is passed, with all their items), every item indexed by id, newest first, plus
// a per-minute histogram for the dashboard chart. Memory stays bounded whatever clients send.

import type { Envelope } from "./envelope.ts";
import type { StoredEnvelope, StoredItem } from "./item-types.ts";
import { normaliseId, randomId, storedItems } from "./items.ts";

export { randomId };

export interface EnvelopeMeta {
  /** The inbox's sequence number for this envelope (a replay keeps it); the next if absent. */
  seq?: number;
  projectId: string;
  sentryKey: string | null;
  received: number;
  /** The decompressed envelope bytes (kept for raw download; counted in the byte budget). */
  raw: Uint8Array;
  /** The id ingest answered with before storing it (items.ts `primaryIdOf`), if it drew one. */
  primaryId?: string;
}

export class EventStore {
  // Envelopes oldest first from #head (dropping moves #head; the array is compacted now and
  // then), so neither a drop nor an add copies the buffer.
  #envelopes: StoredEnvelope[] = [];
  #head = 0;
  #itemCount = 0;
  #bytes = 0;
  #seq = 0;
  #listeners = new Set<(e: StoredEnvelope) => void>();
  #clearListeners = new Set<() => void>();
  #beforeRead: () => void = () => {};
  /** Per-minute counts keyed by minute start (ms), kept for the chart window only. */
  #perMinute = new Map<number, number>();
  readonly maxEvents: number;
  readonly maxBytes: number;

  constructor(opts: { maxEvents?: number; maxBytes?: number } = {}) {
    this.maxEvents = opts.maxEvents ?? 1000;
    this.maxBytes = opts.maxBytes ?? 64 * 1024 * 1024;
  }

  /**
   * Called first by every read (and by `subscribe`): the inbox stores the envelopes ingest took
   * but has not stored yet, so a read after an answered POST sees its envelope.
   */
  beforeRead(settle: () => void): void {
    this.#beforeRead = settle;
  }

  /** Classifies and stores an envelope; returns what was stored (listeners see it too). */
  add(env: Envelope, meta: EnvelopeMeta): StoredEnvelope {
    const seq = meta.seq !== undefined && meta.seq > this.#seq ? meta.seq : this.#seq + 1;
    this.#seq = seq;
    const items = storedItems(env, {
      seq,
      received: meta.received,
      projectId: meta.projectId,
      primaryId: meta.primaryId,
    });
    const stored: StoredEnvelope = {
      seq,
      received: meta.received,
      project_id: meta.projectId,
      sentry_key: meta.sentryKey,
      header: env.header,
      raw: meta.raw,
      items,
      primaryId: items.find((i) => i.type === "event" || i.type === "transaction")?.id ??
        normaliseId(env.header.event_id) ?? items[0]?.id ?? meta.primaryId ?? randomId(),
      size: Math.max(meta.raw.length, 1),
    };
    this.#envelopes.push(stored);
    this.#itemCount += items.length;
    this.#bytes += stored.size;
    while (
      this.#envelopes.length - this.#head > this.maxEvents ||
      (this.#bytes > this.maxBytes && this.#envelopes.length - this.#head > 1)
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
    const dropped = this.#envelopes[this.#head]!;
    this.#envelopes[this.#head++] = undefined as unknown as StoredEnvelope;
    if (this.#head >= 1024 && this.#head * 2 >= this.#envelopes.length) {
      this.#envelopes = this.#envelopes.slice(this.#head);
      this.#head = 0;
    }
    this.#bytes -= dropped.size;
    this.#itemCount -= dropped.items.length;
  }

  /** Number of envelopes held. */
  get size(): number {
    this.#beforeRead();
    return this.#envelopes.length - this.#head;
  }

  /** Number of items held. */
  get itemCount(): number {
    this.#beforeRead();
    return this.#itemCount;
  }

  get bytes(): number {
    this.#beforeRead();
    return this.#bytes;
  }

  /** Items newest first, from `offset`, keeping those `filter` accepts. */
  page(offset: number, limit: number, filter?: (it: StoredItem) => boolean): StoredItem[] {
    this.#beforeRead();
    const out: StoredItem[] = [];
    let skipped = 0;
    for (let e = this.#envelopes.length - 1; e >= this.#head && out.length < limit; e--) {
      const items = this.#envelopes[e]!.items;
      for (let i = items.length - 1; i >= 0 && out.length < limit; i--) {
        const it = items[i]!;
        if (filter && !filter(it)) continue;
        if (skipped++ < offset) continue;
        out.push(it);
      }
    }
    return out;
  }

  /** Every item `filter` accepts, newest first. */
  all(filter?: (it: StoredItem) => boolean): StoredItem[] {
    return this.page(0, Number.MAX_SAFE_INTEGER, filter);
  }

  get(id: string): StoredItem | undefined {
    this.#beforeRead();
    const key = normaliseId(id);
    if (!key) return undefined;
    // A scan, newest first: lookups are rare (pages, the API) and an index would cost every
    // ingest a map update and a delete.
    for (let e = this.#envelopes.length - 1; e >= this.#head; e--) {
      for (const it of this.#envelopes[e]!.items) if (it.id === key) return it;
    }
    return undefined;
  }

  /** Envelopes with a sequence number above `after`, oldest first (replay for a reader). */
  envelopes(after = 0): StoredEnvelope[] {
    return this.#live().filter((e) => e.seq > after);
  }

  envelope(seq: number): StoredEnvelope | undefined {
    this.#beforeRead();
    // Sequence numbers grow (a replay may leave gaps): a binary search finds one.
    let lo = this.#head;
    let hi = this.#envelopes.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const e = this.#envelopes[mid]!;
      if (e.seq === seq) return e;
      if (e.seq < seq) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  /** Items sharing a trace id, oldest first. */
  trace(traceId: string): StoredItem[] {
    return this.#live().flatMap((e) => e.items.filter((it) => it.trace_id === traceId));
  }

  #live(): StoredEnvelope[] {
    this.#beforeRead();
    return this.#envelopes.slice(this.#head);
  }

  clear(): void {
    this.#envelopes = [];
    this.#head = 0;
    this.#itemCount = 0;
    this.#bytes = 0;
    for (const l of this.#clearListeners) l();
  }

  /** Counts for the `minutes` minutes up to and including the one holding `now`, oldest first. */
  perMinute(now: number, minutes: number): number[] {
    this.#beforeRead();
    const current = Math.floor(now / 60_000) * 60_000;
    const out: number[] = [];
    for (let i = minutes - 1; i >= 0; i--) out.push(this.#perMinute.get(current - i * 60_000) ?? 0);
    return out;
  }

  /** Called with every stored envelope; returns the unsubscribe function. */
  subscribe(listener: (e: StoredEnvelope) => void): () => void {
    this.#beforeRead();
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Called after `clear()`; returns the unsubscribe function. */
  onClear(listener: () => void): () => void {
    this.#clearListeners.add(listener);
    return () => this.#clearListeners.delete(listener);
  }
}
