// Fan-out of the envelope feed to `GET /stream` readers: frames of the envelopes arriving within
// a short window are joined once into one chunk and that same chunk goes to every reader, so a
// burst costs one encoding and one write per reader, whatever the number of envelopes and
// readers. One hub per event name (Spotlight's plain and `;base64` streams).

import type { EnvelopeFeed, FeedEntry } from "./feed.ts";

type Reader = (chunk: Uint8Array) => void;

export class FrameHub {
  #feed: EnvelopeFeed;
  #event: string;
  #windowMs: number;
  #readers = new Set<Reader>();
  #pending: Uint8Array[] = [];
  #pendingBytes = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #unsubscribe: (() => void) | undefined;

  constructor(feed: EnvelopeFeed, event: string, windowMs: number) {
    this.#feed = feed;
    this.#event = event;
    this.#windowMs = windowMs;
  }

  /**
   * Adds a reader after `replay` (what the feed holds now, framed lazily): what is pending is
   * sent to the readers before, so a new reader gets every later envelope exactly once.
   */
  join(lastEventId: string | null | undefined, reader: Reader): {
    replay: Iterable<Uint8Array>;
    leave: () => void;
  } {
    this.#flush();
    // A snapshot: the buffer drops its oldest as new ones come.
    const entries = this.#feed.replayAfter(lastEventId).slice();
    const feed = this.#feed;
    const event = this.#event;
    this.#readers.add(reader);
    this.#unsubscribe ??= feed.subscribe((e) => this.#add(e));
    return {
      replay: (function* () {
        for (const e of entries) yield feed.sseFrame(e, event);
      })(),
      leave: () => {
        this.#readers.delete(reader);
        if (this.#readers.size === 0) {
          this.#flush();
          this.#unsubscribe?.();
          this.#unsubscribe = undefined;
        }
      },
    };
  }

  #add(entry: FeedEntry): void {
    const bytes = this.#feed.sseFrame(entry, this.#event);
    this.#pending.push(bytes);
    this.#pendingBytes += bytes.length;
    if (this.#windowMs <= 0) this.#flush();
    else this.#timer ??= setTimeout(() => this.#flush(), this.#windowMs);
  }

  #flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#pending.length === 0) return;
    let chunk: Uint8Array;
    if (this.#pending.length === 1) chunk = this.#pending[0]!;
    else {
      chunk = new Uint8Array(this.#pendingBytes);
      let at = 0;
      for (const p of this.#pending) {
        chunk.set(p, at);
        at += p.length;
      }
    }
    this.#pending = [];
    this.#pendingBytes = 0;
    for (const r of this.#readers) r(chunk);
  }
}
