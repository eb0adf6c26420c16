// One place every accepted envelope goes through: the event store (what the pages and the API
// show), the envelope feed (Spotlight's stream, `/envelope/<id>`, MCP, `tail`) and the journal
// (the inbox across restarts), under one sequence number: the store's `seq` of an envelope is
// the counter of its feed id. A restart replays the journal through the same path.

import { parseEnvelope } from "./envelope.ts";
import type { EventStore } from "./event-store.ts";
import { type EnvelopeFeed, type FeedEntry, parseId, SENTRY_ENVELOPE } from "./feed.ts";
import type { Ingested } from "./ingest.ts";
import type { Journal } from "./journal.ts";

export interface AcceptMeta {
  projectId: string;
  sentryKey: string | null;
  received: number;
  userAgent?: string | null;
  contentType?: string;
}

export class Inbox {
  readonly events: EventStore;
  readonly feed: EnvelopeFeed;
  #journal: Journal | undefined;

  constructor(events: EventStore, feed: EnvelopeFeed, journal?: Journal) {
    this.events = events;
    this.feed = feed;
    this.#journal = journal;
  }

  /** Stores an envelope ingest accepted; returns the stored envelope and its feed entry. */
  accept(got: Ingested, meta: AcceptMeta) {
    const stored = this.events.add(got.envelope, {
      projectId: meta.projectId,
      sentryKey: meta.sentryKey,
      received: meta.received,
      raw: got.body,
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
    return { stored, entry };
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
      this.#replay(got, entry);
      lastId = e.id;
      lastSeq = entry.seq;
      n++;
    }
    return n;
  }

  #replay(got: Ingested, e: FeedEntry): void {
    this.events.add(got.envelope, {
      seq: e.seq,
      projectId: e.projectId,
      sentryKey: e.sentryKey,
      received: e.received,
      raw: got.body,
    });
    this.feed.add(e);
  }

  clear(): void {
    this.events.clear();
    this.feed.clear();
    this.#journal?.clear();
  }

  async close(): Promise<void> {
    await this.#journal?.close();
  }
}
