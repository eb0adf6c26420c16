// A minimal server-sent-events response: named events with multi-line data, a comment
// heartbeat so idle proxies and runtimes keep the connection, and one cleanup path whether the
// client goes away (cancel/abort) or the server ends the stream.
//
// Writes are paced by the reader: a frame goes out at once when the reader waits for data;
// while it is busy, frames queue on the channel and go out as one write when it asks again, so
// a burst costs a slow reader one write, not one per frame. A reader that stops reading cannot
// block the others; where the route sets `maxQueuedBytes` (streams a reader can resume or that
// are re-rendered anyway), it cannot hold unbounded memory either: once more than that waits for
// it, its stream is ended (an EventSource reconnects with `Last-Event-ID` and is replayed what
// the buffer still holds). A replay is read lazily from its iterator, a chunk at a time, and
// does not count against that bound.

import { type PushController, pushStream } from "../runtime/adapter.ts";

export interface SseChannel {
  send(event: string, data: string, id?: string): void;
  /** Writes bytes already framed by `frame()` (one encoding shared by many readers). */
  sendFramed(bytes: Uint8Array): void;
  /** Frames to send before any sent after this call, taken lazily as the reader reads. */
  replay(frames: Iterable<Uint8Array>): void;
  close(): void;
  readonly signal: AbortSignal;
  /** Bytes of live frames waiting for this reader. */
  readonly queuedBytes: number;
  /**
   * Resolves once nothing waits for this reader any more (or the stream ended): a producer
   * that can wait (a service's log) is paced by the reader instead of being cut off.
   */
  drained(): Promise<void>;
}

export interface SseOptions {
  heartbeatMs?: number;
  headers?: Record<string, string>;
  /**
   * Live frames a reader may have waiting before its stream is ended (none by default: a
   * source that cannot be replayed, like a log stream, should rather pause).
   */
  maxQueuedBytes?: number;
  /** Told when a reader fell too far behind and its stream was ended. */
  onOverflow?: () => void;
}

// EventSource ends a line at CRLF, LF or a lone CR: data is split on all three, so text
// with a bare CR cannot end a line early or inject a field or an event of another type.
const LINE_BREAK = /\r\n|\r|\n/;
const CHUNK_BYTES = 256 * 1024;
/** The bound for streams a reader can resume (`GET /stream`) or re-render (the live pages). */
export const MAX_QUEUED_BYTES = 8 * 1024 * 1024;

/** One server-sent event: `id` and `event` lose any line break, every data line is prefixed. */
export function frame(event: string, data: string, id?: string): string {
  const lines = data.split(LINE_BREAK).map((l) => `data: ${l}\n`).join("");
  return `${frameHead(event, id)}${lines}\n`;
}

/** An event's `id` and `event` lines, each without any line break of its own. */
export function frameHead(event: string, id?: string): string {
  const clean = (s: string) => s.replace(/[\r\n]/g, " ");
  return `${id ? `id: ${clean(id)}\n` : ""}event: ${clean(event)}\n`;
}

export function sseResponse(
  request: Request,
  start: (channel: SseChannel) => void | Promise<void>,
  opts: SseOptions = {},
): Response {
  const encoder = new TextEncoder();
  const done = new AbortController();
  const maxQueued = opts.maxQueuedBytes ?? Infinity;
  let controller: PushController | undefined;
  let replay: Iterator<Uint8Array> | undefined;
  let queue: Uint8Array[] = [];
  let queued = 0;
  // The reader asked for data we did not have yet: the next frame goes out at once.
  let wanted = false;
  let waiters: (() => void)[] = [];
  const wake = () => {
    const w = waiters;
    waiters = [];
    for (const resolve of w) resolve();
  };

  // Ends the stream: at once, dropping what waits (the client left, or fell too far behind),
  // or after what is queued has gone out (the server is done).
  let draining = false;
  let ended = false;
  const end = () => {
    ended = true;
    controller?.close();
  };
  const finish = (drain = false) => {
    if (done.signal.aborted) {
      if (!drain && draining) {
        // The client left while the rest was going out.
        draining = false;
        queue = [];
        queued = 0;
        replay = undefined;
        end();
      }
      return;
    }
    done.abort();
    wake();
    clearInterval(heartbeat);
    if (drain && (queued > 0 || replay || beforeReplay.length > 0)) {
      draining = true;
      return;
    }
    queue = [];
    queued = 0;
    replay = undefined;
    beforeReplay = [];
    end();
  };

  /** The next chunks for the reader: what was queued before the replay, the replay, then the
   * rest; undefined if none. */
  let beforeReplay: Uint8Array[] = [];
  const take = (): Uint8Array[] | undefined => {
    if (beforeReplay.length > 0) {
      const chunks = beforeReplay;
      beforeReplay = [];
      return chunks;
    }
    if (replay) {
      const parts: Uint8Array[] = [];
      let size = 0;
      while (size < CHUNK_BYTES) {
        const next = replay.next();
        if (next.done) {
          replay = undefined;
          break;
        }
        parts.push(next.value);
        size += next.value.length;
      }
      if (size > 0) return parts;
    }
    if (queued === 0) return undefined;
    const chunks = queue;
    queue = [];
    queued = 0;
    wake();
    return chunks;
  };

  const deliver = () => {
    if ((done.signal.aborted && !draining) || !controller || !wanted) return;
    const chunks = take();
    if (chunks) {
      wanted = false;
      controller.write(chunks);
    }
    if (draining && queued === 0 && !replay && beforeReplay.length === 0) {
      draining = false;
      end();
    }
  };

  const enqueue = (bytes: Uint8Array) => {
    if (done.signal.aborted) return;
    queue.push(bytes);
    queued += bytes.length;
    if (queued > maxQueued) {
      opts.onOverflow?.();
      finish();
      return;
    }
    if (wanted) deliver();
  };
  const write = (text: string) => enqueue(encoder.encode(text));
  const channel: SseChannel = {
    send(event, data, id) {
      write(frame(event, data, id));
    },
    sendFramed: enqueue,
    replay(frames) {
      if (done.signal.aborted) return;
      beforeReplay = queue;
      queue = [];
      queued = 0;
      replay = frames[Symbol.iterator]();
      if (wanted) deliver();
    },
    close: () => finish(true),
    signal: done.signal,
    get queuedBytes() {
      return queued;
    },
    drained() {
      if (queued === 0 || done.signal.aborted) return Promise.resolve();
      return new Promise<void>((resolve) => waiters.push(resolve));
    },
  };
  // Declared before anything can end the stream (finish clears it).
  const heartbeat = setInterval(() => write(": keep-alive\n\n"), opts.heartbeatMs ?? 15_000);
  request.signal?.addEventListener("abort", () => finish(), { once: true });
  write(": connected\n\n");
  // Nothing is queued inside the stream: the reader says when it can take data, so what waits
  // is on this channel's queue, counted and bounded.
  const body = pushStream({
    ready(c) {
      controller = c;
      if (ended) {
        c.close();
        return;
      }
      wanted = true;
      deliver();
    },
    cancel() {
      draining = false;
      finish();
    },
  });
  Promise.resolve(start(channel)).catch(() => finish());
  return new Response(body, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      "x-accel-buffering": "no",
      ...opts.headers,
    },
  });
}
