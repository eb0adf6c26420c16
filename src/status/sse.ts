// A minimal server-sent-events response: named events with multi-line data, a comment
// heartbeat so idle proxies and runtimes keep the connection, and one cleanup path whether the
// client goes away (cancel/abort) or the server ends the stream.
//
// Writes are coalesced and paced by the reader: frames queue on the channel and go out as one
// chunk when the reader asks for more (the stream's pull) or when the flush timer fires, so a
// burst costs a reader one write, not one per frame. A reader that stops reading cannot block
// the others or hold unbounded memory: once more than `maxQueuedBytes` of live frames wait for
// it, its stream is ended (an EventSource reconnects with `Last-Event-ID` and is replayed what
// the buffer still holds). A replay is read lazily from its iterator, a chunk per pull.

export interface SseChannel {
  send(event: string, data: string, id?: string): void;
  /** Writes bytes already framed by `frame()` (one encoding shared by many readers). */
  sendFramed(bytes: Uint8Array): void;
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
  /** How long frames may wait to be sent together (default 0: at once when the reader waits). */
  flushMs?: number;
  /** Live frames a reader may have waiting before its stream is ended (default 8 MiB). */
  maxQueuedBytes?: number;
  /** Frames sent before any live one, taken lazily as the reader reads. */
  replay?: Iterable<Uint8Array>;
  /** Told when a reader fell too far behind and its stream was ended. */
  onOverflow?: () => void;
}

// EventSource ends a line at CRLF, LF or a lone CR: data is split on all three, so text
// with a bare CR cannot end a line early or inject a field or an event of another type.
const LINE_BREAK = /\r\n|\r|\n/;
const CHUNK_BYTES = 256 * 1024;
export const DEFAULT_MAX_QUEUED_BYTES = 8 * 1024 * 1024;

/** One server-sent event: `id` and `event` lose any line break, every data line is prefixed. */
export function frame(event: string, data: string, id?: string): string {
  const clean = (s: string) => s.replace(/[\r\n]/g, " ");
  const lines = data.split(LINE_BREAK).map((l) => `data: ${l}\n`).join("");
  return `${id ? `id: ${clean(id)}\n` : ""}event: ${clean(event)}\n${lines}\n`;
}

/** Bytes of `parts` as one array (no copy for a single part). */
function join(parts: Uint8Array[], size: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function sseResponse(
  request: Request,
  start: (channel: SseChannel) => void | Promise<void>,
  opts: SseOptions = {},
): Response {
  const encoder = new TextEncoder();
  const done = new AbortController();
  const maxQueued = opts.maxQueuedBytes ?? DEFAULT_MAX_QUEUED_BYTES;
  let controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let flushTimer: ReturnType<typeof setTimeout> | undefined;
  let replay: Iterator<Uint8Array> | undefined = opts.replay?.[Symbol.iterator]();
  let queue: Uint8Array[] = [];
  let queued = 0;
  // The reader asked for data we did not have yet: the next flush hands it over.
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
  const end = () => {
    try {
      controller?.close();
    } catch {
      // already closed by the client
    }
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
    if (heartbeat) clearInterval(heartbeat);
    if (drain && (queued > 0 || replay)) {
      draining = true;
      return;
    }
    if (flushTimer) clearTimeout(flushTimer);
    queue = [];
    queued = 0;
    replay = undefined;
    end();
  };

  /** The next chunk for the reader: replay first, then what is queued; undefined if none. */
  const take = (): Uint8Array | undefined => {
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
      if (size > 0) return join(parts, size);
    }
    if (queued === 0) return undefined;
    const chunk = join(queue, queued);
    queue = [];
    queued = 0;
    wake();
    return chunk;
  };

  const deliver = () => {
    if ((done.signal.aborted && !draining) || !controller || !wanted) return;
    const chunk = take();
    if (chunk) {
      wanted = false;
      try {
        controller.enqueue(chunk);
      } catch {
        draining = false;
        finish();
        return;
      }
    }
    if (draining && queued === 0 && !replay) {
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
    if (!wanted || flushTimer) return;
    if (!opts.flushMs) deliver();
    else {
      flushTimer = setTimeout(() => {
        flushTimer = undefined;
        deliver();
      }, opts.flushMs);
    }
  };
  const write = (text: string) => enqueue(encoder.encode(text));
  const channel: SseChannel = {
    send(event, data, id) {
      write(frame(event, data, id));
    },
    sendFramed: enqueue,
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
  request.signal?.addEventListener("abort", () => finish(), { once: true });
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
      write(": connected\n\n");
      heartbeat = setInterval(() => write(": keep-alive\n\n"), opts.heartbeatMs ?? 15_000);
      Promise.resolve(start(channel)).catch(() => finish());
    },
    pull() {
      wanted = true;
      deliver();
    },
    cancel() {
      finish();
    },
    // Nothing is queued inside the stream: pull is called only when the reader wants data, so
    // what waits is on this channel's queue, counted and bounded.
  }, { highWaterMark: 0 });
  return new Response(body, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      "x-accel-buffering": "no",
      ...opts.headers,
    },
  });
}
