// One place every accepted envelope goes through: the event store (what the pages and the API
// show), the envelope feed (Spotlight's stream, `/envelope/<id>`, MCP, `tail`) and the journal
// (the inbox across restarts), under one sequence number: the store's `seq` of an envelope is
// the counter of its feed id. A restart replays the journal through the same path. An envelope
// that repeats one already taken (an SDK sending to both SENTRY_DSN and SENTRY_SPOTLIGHT,
// dedupe.ts) is answered as taken but goes to none of the three.

import { setImmediate } from "node:timers";
import { type DedupeOptions, type DuplicateReason, RecentEnvelopes } from "./dedupe.ts";
import { parseEnvelope } from "./envelope.ts";
import type { EventStore } from "./event-store.ts";
import { type EnvelopeFeed, type FeedEntry, parseId, SENTRY_ENVELOPE } from "./feed.ts";
import type { Ingested } from "./ingest.ts";
import { primaryIdOf, randomId } from "./items.ts";
import type { Journal } from "./journal.ts";

export interface AcceptMeta {
  projectId: string;
  sentryKey: string | null;
  received: number;
  userAgent?: string | null;
  contentType?: string;
}

export interface InboxOptions {
  dedupe?: DedupeOptions;
  /** Told about each envelope not stored because it repeats one already taken. */
  onDuplicate?(reason: DuplicateReason): void;
}

/** What `take` answered for an envelope: its id, and whether it repeats one already taken. */
export interface Taken {
  id: string;
  duplicate: DuplicateReason | null;
}

interface Pending {
  got: Ingested;
  meta: AcceptMeta;
  /** The id the POST was answered with; the store gives the envelope this one. */
  id: string;
}

export class Inbox {
  readonly events: EventStore;
  readonly feed: EnvelopeFeed;
  readonly recent: RecentEnvelopes;
  #journal: Journal | undefined;
  #onDuplicate: ((reason: DuplicateReason) => void) | undefined;
  // Envelopes taken (answered) but not yet stored, in arrival order; see `take`.
  #pending: Pending[] = [];
  #settleScheduled = false;

  constructor(events: EventStore, feed: EnvelopeFeed, journal?: Journal, opts: InboxOptions = {}) {
    this.events = events;
    this.feed = feed;
    this.#journal = journal;
    // Every event id the buffer can hold is remembered (and at least the last 1000).
    this.recent = new RecentEnvelopes({
      maxIds: Math.max(1000, events.maxEvents),
      ...opts.dedupe,
    });
    this.#onDuplicate = opts.onDuplicate;
    // Any read of the store or the feed stores what was taken first.
    events.beforeRead(() => this.settle());
    feed.beforeRead(() => this.settle());
  }

  /**
   * Ingest's path: decides at once whether the envelope repeats one already taken and which id
   * the answer carries, and stores it (classification, the store, the feed, the journal) right
   * after the answer has gone: on the next turn of the event loop, or sooner when anything
   * reads the store or the feed. The answer so waits only for parsing (the validation 400s
   * need); a client posting one envelope after another gets its answer without waiting for
   * the rest, and envelopes arriving together are stored together.
   */
  take(got: Ingested, meta: AcceptMeta): Taken {
    const verdict = this.recent.check(got.envelope, got.body, meta.received);
    if (verdict.duplicate) {
      this.#onDuplicate?.(verdict.reason);
      return { id: verdict.id, duplicate: verdict.reason };
    }
    const id = primaryIdOf(got.envelope) ?? randomId();
    // Remembered now, so a repeat arriving before this one is stored is still known.
    this.recent.remember(verdict.key, id);
    this.#pending.push({ got, meta, id });
    if (!this.#settleScheduled) {
      this.#settleScheduled = true;
      setImmediate(() => this.settle());
    }
    return { id, duplicate: null };
  }

  /** Stores every envelope taken and not stored yet, in the order they were taken. */
  settle(): void {
    this.#settleScheduled = false;
    if (this.#pending.length === 0) return;
    // Taken out first: a listener that reads the store meanwhile finds nothing left to settle.
    const batch = this.#pending;
    this.#pending = [];
    for (const p of batch) this.#store(p);
  }

  #store(p: Pending): void {
    const { got, meta } = p;
    const stored = this.events.add(got.envelope, {
      projectId: meta.projectId,
      sentryKey: meta.sentryKey,
      received: meta.received,
      raw: got.body,
      primaryId: p.id,
    });
    const entry = this.feed.add({
      seq: stored.seq,
      received: meta.received,
      contentType: meta.contentType ?? SENTRY_ENVELOPE,
      body: got.body,
      projectId: meta.projectId,
      sentryKey: meta.sentryKey,
      userAgent: meta.userAgent ?? null,
    });
    this.#journal?.append(entry);
  }

  /** Replays the journal (at start, before listening); returns how many envelopes came back. */
  restore(): number {
    if (!this.#journal) return 0;
    let lastId = "";
    let lastSeq = 0;
    let n = 0;
    for (const e of this.#journal.load()) {
      if (e.id <= lastId) continue; // ids only grow; anything else is a damaged journal
      let got: Ingested;
      try {
        got = { envelope: parseEnvelope(e.body), size: e.body.length, body: e.body };
      } catch {
        continue;
      }
      // One sequence: an entry keeps its id when the id's counter continues it (a journal from
      // before ids carried it gets the next number and an id made from it, in the same order).
      let entry = e;
      if (e.seq <= lastSeq) {
        const seq = lastSeq + 1;
        entry = { ...e, seq, id: this.feed.ids.next(parseId(e.id)?.ms ?? e.received, seq) };
      }
      if (this.#replay(got, entry)) n++;
      lastId = e.id;
      lastSeq = entry.seq;
    }
    return n;
  }

  #replay(got: Ingested, e: FeedEntry): boolean {
    // The same check as at ingest, with the journal's times: a journal written before dedupe
    // (or by a server with other bounds) loses its repeats, and what comes after a restart is
    // checked against what came before it.
    const verdict = this.recent.check(got.envelope, got.body, e.received);
    if (verdict.duplicate) return false;
    const stored = this.events.add(got.envelope, {
      seq: e.seq,
      projectId: e.projectId,
      sentryKey: e.sentryKey,
      received: e.received,
      raw: got.body,
    });
    this.recent.remember(verdict.key, stored.primaryId);
    this.feed.add(e);
    return true;
  }

  clear(): void {
    this.settle();
    this.recent.clear();
    this.events.clear();
    this.feed.clear();
    this.#journal?.clear();
  }

  async close(): Promise<void> {
    this.settle();
    await this.#journal?.close();
  }
}
