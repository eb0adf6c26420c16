// Fan-out of the envelope feed to `GET /stream` readers: frames of the envelopes arriving within
// a short window are joined once into one chunk and that same chunk goes to every reader, so a
// burst costs one encoding and one write per reader, whatever the number of envelopes and
// readers; the framing itself happens when the window closes, off the ingest request. One hub
// per event name (Spotlight's plain and `;base64` streams).

import type { EnvelopeFeed, FeedEntry } from "./feed.ts";

type Reader = (chunk: Uint8Array) => void;

export class FrameHub {
  #feed: EnvelopeFeed;
  #event: string;
  #windowMs: number;
  #readers = new Set<Reader>();
  // Entries of the current window, framed when it closes: off the ingest request's path.
  #pending: FeedEntry[] = [];
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
    this.#pending.push(entry);
    if (this.#windowMs <= 0) this.#flush();
    else this.#timer ??= setTimeout(() => this.#flush(), this.#windowMs);
  }

  #flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#pending.length === 0) return;
    const frames = this.#pending.map((e) => this.#feed.sseFrame(e, this.#event));
    this.#pending = [];
    let chunk: Uint8Array;
    if (frames.length === 1) chunk = frames[0]!;
    else {
      let size = 0;
      for (const f of frames) size += f.length;
      chunk = new Uint8Array(size);
      let at = 0;
      for (const f of frames) {
        chunk.set(f, at);
        at += f.length;
      }
    }
    for (const r of this.#readers) r(chunk);
  }
}
