// The envelope feed behind Spotlight's sidecar routes: every envelope received, as its raw
// (decompressed) bytes, under a server-assigned id that only grows. Bounded by count and bytes
// like the inbox; `GET /stream` replays it and follows it, `GET /envelope/<id>` reads one, and
// the journal persists it. The Spotlight event of an entry is framed and encoded once, on first
// use, and shared by every reader, so fan-out costs one encoding per envelope, not one per
// reader.

import { spotlightFrame, spotlightJson } from "./spotlight-wire.ts";

export const SENTRY_ENVELOPE = "application/x-sentry-envelope";

export interface FeedEntry {
  /** UUIDv7-shaped, strictly increasing in string order: Spotlight's envelope id format. */
  id: string;
  /** The inbox's sequence number of this envelope (the id's counter; the event store's seq). */
  seq: number;
  /** Milliseconds since the epoch. */
  received: number;
  contentType: string;
  body: Uint8Array;
  projectId: string;
  sentryKey: string | null;
  userAgent: string | null;
}

/**
 * Spotlight-shaped envelope ids (UUIDv7: the time in milliseconds, then a counter) whose
 * counter is the inbox's one sequence number: the id of the envelope the event store numbers
 * `seq` carries `seq`, so the two never disagree. Ids sort in arrival order as strings (the time
 * never goes back, the sequence only grows).
 */
export class EnvelopeIds {
  #lastMs = 0;

  next(now: number, seq: number): string {
    const ms = Math.max(Math.floor(now), this.#lastMs);
    this.#lastMs = ms;
    return format(ms, seq);
  }

  /** After a replay: ids made from now on sort after `id`. */
  observe(id: string): void {
    const parsed = parseId(id);
    if (parsed && parsed.ms > this.#lastMs) this.#lastMs = parsed.ms;
  }
}

// Layout: 48-bit ms · version 7 · 12 + 62 bits of counter (variant bits 10 between them).
function format(ms: number, seq: number): string {
  const t = ms.toString(16).padStart(12, "0");
  // A sequence number below 2^53 (all but a damaged journal's, whose id counters reach 2^74)
  // has its 12 high bits 0 and the variant's nibble 8: the id is the number's own hex digits
  // (BigInt arithmetic per id cost ~1% of the server's ingest time, profiled).
  if (Number.isSafeInteger(seq) && seq >= 0) {
    const low = seq.toString(16).padStart(15, "0");
    return `${t.slice(0, 8)}-${t.slice(8)}-7000-8${low.slice(0, 3)}-${low.slice(3)}`;
  }
  const counter = BigInt(seq);
  const a = Number((counter >> 62n) & 0xfffn).toString(16).padStart(3, "0");
  const b = (counter & ((1n << 62n) - 1n)) | (2n << 62n);
  const bh = b.toString(16).padStart(16, "0");
  return `${t.slice(0, 8)}-${t.slice(8)}-7${a}-${bh.slice(0, 4)}-${bh.slice(4)}`;
}

const ID_RE = /^([0-9a-f]{8})-([0-9a-f]{4})-7([0-9a-f]{3})-([89ab][0-9a-f]{3})-([0-9a-f]{12})$/;

export function parseId(id: string): { ms: number; counter: bigint } | null {
  const m = ID_RE.exec(id.toLowerCase());
  if (!m) return null;
  const ms = parseInt(m[1]! + m[2]!, 16);
  const b = BigInt(`0x${m[4]!}${m[5]!}`) & ((1n << 62n) - 1n);
  return { ms, counter: (BigInt(`0x${m[3]!}`) << 62n) | b };
}

export interface FeedOptions {
  maxEntries?: number;
  maxBytes?: number;
}

type Listener = (entry: FeedEntry) => void;

export class EnvelopeFeed {
  #entries: FeedEntry[] = [];
  #bytes = 0;
  #lastSeq = 0;
  #listeners = new Set<Listener>();
  #clearListeners = new Set<() => void>();
  #beforeRead: () => void = () => {};
  readonly ids = new EnvelopeIds();
  readonly maxEntries: number;
  readonly maxBytes: number;

  constructor(opts: FeedOptions = {}) {
    this.maxEntries = opts.maxEntries ?? 1000;
    this.maxBytes = opts.maxBytes ?? 64 * 1024 * 1024;
  }

  /** Called first by every read and by `subscribe` (as EventStore.beforeRead). */
  beforeRead(settle: () => void): void {
    this.#beforeRead = settle;
  }

  /**
   * Adds a new envelope numbered `seq` (the next after the last when not given), or a replayed
   * one keeping its id, and tells every reader.
   */
  add(entry: Omit<FeedEntry, "id" | "seq"> & { id?: string; seq?: number }): FeedEntry {
    const seq = entry.seq ?? this.#lastSeq + 1;
    this.#lastSeq = Math.max(this.#lastSeq, seq);
    let id = entry.id;
    if (id) this.ids.observe(id);
    else id = this.ids.next(entry.received, seq);
    const full: FeedEntry = { ...entry, id, seq };
    this.#entries.push(full);
    this.#bytes += full.body.length;
    while (
      this.#entries.length > this.maxEntries ||
      (this.#bytes > this.maxBytes && this.#entries.length > 1)
    ) {
      const dropped = this.#entries.shift()!;
      this.#bytes -= dropped.body.length;
    }
    for (const l of this.#listeners) l(full);
    return full;
  }

  get size(): number {
    this.#beforeRead();
    return this.#entries.length;
  }

  get bytes(): number {
    this.#beforeRead();
    return this.#bytes;
  }

  /** Oldest first. */
  all(): readonly FeedEntry[] {
    this.#beforeRead();
    return this.#entries;
  }

  get(id: string): FeedEntry | undefined {
    this.#beforeRead();
    const key = id.toLowerCase();
    const at = this.#search(key);
    return at >= 0 ? this.#entries[at] : undefined;
  }

  /**
   * The entries a reader should get on connecting: those after `lastEventId` when it is still
   * in the buffer, else everything buffered (Spotlight's rule: an unknown id replays all).
   */
  replayAfter(lastEventId: string | null | undefined): readonly FeedEntry[] {
    this.#beforeRead();
    if (!lastEventId) return this.#entries;
    const at = this.#search(lastEventId.trim().toLowerCase());
    return at >= 0 ? this.#entries.slice(at + 1) : this.#entries;
  }

  // Ids sort as strings in arrival order, so a binary search finds one.
  #search(key: string): number {
    let lo = 0;
    let hi = this.#entries.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const id = this.#entries[mid]!.id;
      if (id === key) return mid;
      if (id < key) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** The entry as Spotlight's `[header, [[item header, payload], …]]`, one line of JSON. */
  json(entry: FeedEntry): string {
    return spotlightJson(entry.body, entry.id, entry.userAgent);
  }

  /**
   * The entry as one server-sent event named `event`. Not kept: the live fan-out frames an
   * envelope once for all its readers (frame-hub.ts), and holding every frame for as long as the
   * entry lives cost the server more (a second copy of the buffer for the collector to carry)
   * than framing again for a reader that joins later.
   */
  sseFrame(entry: FeedEntry, event: string): Uint8Array {
    return spotlightFrame(entry.body, entry.id, entry.userAgent, event);
  }

  subscribe(listener: Listener): () => void {
    this.#beforeRead();
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  onClear(listener: () => void): () => void {
    this.#clearListeners.add(listener);
    return () => this.#clearListeners.delete(listener);
  }

  clear(): void {
    this.#entries = [];
    this.#bytes = 0;
    for (const l of this.#clearListeners) l();
  }
}
