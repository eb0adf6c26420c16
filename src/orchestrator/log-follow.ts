// Streams a container's output to our stdout/stderr: through the logs API, or through an
// already opened attach-endpoint stream (`source`). From the logs API timestamps are always
// requested so that, when the stream ends because Docker restarted the container, following
// resumes exactly after the last line seen. Back-pressure: lines decoded from one chunk are
// written as one batch per stream, and the next chunk is not read until the terminal (or pipe)
// has taken the batch, so a 200k-line burst waits in the kernel's socket buffer, not in memory.

import type { Readable } from "node:stream";
import type { LogsOptions } from "../docker/client.ts";
import { compareTimestamps, FrameDecoder } from "../docker/demux.ts";
import { collectGarbageHint } from "../runtime/adapter.ts";

/**
 * Where log lines go. A sink with `drained` applies back-pressure (`write` answering false means
 * "wait for drained()", attach's guarded stdout); a plain Writer is written to as is.
 */
export interface LogSink {
  write(data: Uint8Array): unknown;
  drained?(): Promise<void>;
  readonly failure?: Error;
}

export interface LogSinks {
  stdout: LogSink;
  stderr: LogSink;
}

export interface LogSource {
  logs(id: string, opts: LogsOptions): Promise<Readable>;
}

export interface FollowOptions {
  /** Unix seconds, or a `<sec>.<nanos>` string, to start from. */
  since?: number | string;
  tail?: number | "all";
  /** Lines at or before this timestamp were already printed (resuming after a restart). */
  after?: string;
  showTimestamps: boolean;
  follow: boolean;
  signal?: AbortSignal;
  /** Use the lean HTTP reader (attach); other commands keep docker-modem's stream. */
  lean?: boolean;
  /** An already opened output stream (the attach endpoint) to read instead of the logs API. */
  source?: Promise<Readable>;
}

const SPACE = 0x20;
/** Bytes of log between two garbage-collection hints (SPEC §9: RSS ≤ 80 MB under a burst). */
const GC_HINT_BYTES = 2 * 1024 * 1024;
const latin1 = new TextDecoder("latin1");

/** Follows one log stream until it ends; returns the last timestamp printed (if any). */
export async function streamLogs(
  docker: LogSource,
  containerId: string,
  raw: boolean,
  sinks: LogSinks,
  opts: FollowOptions,
): Promise<string | undefined> {
  const stream = opts.source ? await opts.source : await docker.logs(containerId, {
    follow: opts.follow,
    since: opts.since,
    tail: opts.tail,
    timestamps: true,
    signal: opts.signal,
    lean: opts.lean,
  });
  const decoder = new FrameDecoder(raw);
  const out = new Batch(sinks.stdout);
  const err = new Batch(sinks.stderr);
  let last = opts.after;
  let skipping = opts.after !== undefined;
  let sinceCollect = 0;
  const onChunk = (chunk: Uint8Array) => {
    sinceCollect += chunk.length;
    if (sinceCollect >= GC_HINT_BYTES) {
      sinceCollect = 0;
      collectGarbageHint();
    }
    let lastStamped: Uint8Array | undefined;
    for (const frame of decoder.push(chunk)) {
      const payload = frame.payload;
      const space = stampEnd(payload);
      if (space > 0 && skipping) {
        if (compareTimestamps(latin1.decode(payload.subarray(0, space)), opts.after!) <= 0) {
          continue;
        }
        skipping = false;
      }
      if (space > 0) lastStamped = payload;
      const line = space > 0 && !opts.showTimestamps ? payload.subarray(space + 1) : payload;
      (frame.stream === "stderr" ? err : out).push(line);
    }
    // Decoding one timestamp per chunk, not per line, keeps 200k-line streams cheap.
    if (lastStamped) last = latin1.decode(lastStamped.subarray(0, stampEnd(lastStamped)));
  };
  try {
    // Events rather than `for await`: Docker flushes every line while following, and a promise
    // per chunk cost a third of the throughput. Back-pressure pauses the socket instead.
    await new Promise<void>((resolve, reject) => {
      const readable = stream as Readable;
      const blocked = () => {
        if (sinks.stdout.failure || sinks.stderr.failure) {
          readable.destroy();
          resolve();
          return;
        }
        const waiting = out.waiting ?? err.waiting;
        if (!waiting) return;
        readable.pause();
        void waiting.then(() => {
          if (sinks.stdout.failure || sinks.stderr.failure) {
            readable.destroy();
            resolve();
          } else readable.resume();
        });
      };
      readable.on("data", (chunk: Uint8Array) => {
        onChunk(chunk);
        blocked();
      });
      readable.on("end", () => resolve());
      readable.on("close", () => resolve());
      readable.on("error", (e) => reject(e));
      out.onBlocked = blocked;
      err.onBlocked = blocked;
    });
  } catch (e) {
    // An abort is how callers end a follow; anything else is a real error.
    if (!opts.signal?.aborted) throw e;
  } finally {
    out.flush();
    err.flush();
    out.onBlocked = err.onBlocked = undefined;
    (stream as Readable).destroy?.();
  }
  return last;
}

/** Index of the space after a leading RFC 3339 timestamp, or -1 (raw TTY data may have none). */
function stampEnd(payload: Uint8Array): number {
  if (payload[4] !== 0x2d || payload[10] !== 0x54) return -1; // "YYYY-" and "T"
  const space = payload.indexOf(SPACE, 19);
  return space > 0 && space < 40 ? space : -1;
}

/**
 * Coalesces many small writes (Docker sends one frame per log line, often one chunk per line)
 * into few large ones: flushed at 64 KiB or once the current burst of chunks is processed.
 * A write the sink cannot take at once leaves `waiting` set until it drains.
 */
class Batch {
  #parts: Uint8Array[] = [];
  #size = 0;
  #scheduled = false;
  waiting: Promise<void> | undefined;
  /** Told when a scheduled flush had to wait, so the reader can pause. */
  onBlocked: (() => void) | undefined;

  constructor(private readonly sink: LogSink) {}

  push(part: Uint8Array): void {
    this.#parts.push(part);
    this.#size += part.length;
    if (this.#size >= 65536) this.flush();
    else if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => {
        this.flush();
        if (this.waiting) this.onBlocked?.();
      });
    }
  }

  flush(): void {
    this.#scheduled = false;
    if (this.#parts.length === 0) return;
    const data = this.#parts.length === 1
      ? this.#parts[0]!
      : Buffer.concat(this.#parts, this.#size);
    this.#parts = [];
    this.#size = 0;
    if (this.sink.write(data) !== false || this.waiting || !this.sink.drained) return;
    this.waiting = this.sink.drained().then(() => {
      this.waiting = undefined;
    });
  }
}
