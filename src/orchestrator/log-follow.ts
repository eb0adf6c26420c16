// Streams a container's output to our stdout/stderr: through the logs API, or through an
// already opened attach-endpoint stream (`source`, which carries no timestamps). From the logs
// API timestamps are always requested so that, when the stream ends (Docker restarted the
// container, the connection dropped), following resumes at the exact entry where it stopped
// (docker/log-cursor.ts: entries sharing the last stamp are skipped by count, not by stamp); a
// TTY container's log is one raw byte stream, so it is cut into lines to find every line's
// stamp. Switching from the attach stream to the logs API skips exactly the bytes the attach
// stream showed (`skip`). Back-pressure: lines decoded from one chunk are
// written as one batch per stream, and the next chunk is not read until the terminal (or pipe)
// has taken the batch, so a 200k-line burst waits in the kernel's socket buffer, not in memory.

import type { Readable } from "node:stream";
import type { LogsOptions } from "../docker/client.ts";
import { type Frame, FrameDecoder } from "../docker/demux.ts";
import { LogCursor, stampEnd } from "../docker/log-cursor.ts";
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
  /**
   * Where an earlier read of this log stopped: what it took is skipped, and the cursor moves
   * past every entry this read takes (pass the same one to the next read to resume).
   */
  cursor?: LogCursor;
  showTimestamps: boolean;
  follow: boolean;
  signal?: AbortSignal;
  /** Use the lean HTTP reader (attach); other commands keep docker-modem's stream. */
  lean?: boolean;
  /** An already opened output stream (the attach endpoint) to read instead of the logs API. */
  source?: Promise<Readable>;
  /** Payload bytes per stream already shown (by the attach stream): dropped (counted down). */
  skip?: ShownBytes;
  /** Counts the payload bytes printed per stream (added to). */
  shown?: ShownBytes;
}

/** A decoded frame; `continued`: the rest of a line a chunk boundary split (no stamp). */
type LineFrame = Frame & { continued?: boolean };

export interface ShownBytes {
  stdout: number;
  stderr: number;
}

/** Bytes of log between two garbage-collection hints (SPEC §9: RSS ≤ 80 MB under a burst). */
const GC_HINT_BYTES = 2 * 1024 * 1024;
const latin1 = new TextDecoder("latin1");

/** Follows one log stream until it ends; returns the last timestamp taken (if any). */
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
  // The attach endpoint sends no timestamps: nothing is stripped from its lines.
  const stamped = !opts.source;
  const decoder: { push(chunk: Uint8Array): LineFrame[] } = raw && stamped
    ? new StampedRaw()
    : new FrameDecoder(raw);
  const out = new Batch(sinks.stdout);
  const err = new Batch(sinks.stderr);
  const skip = opts.skip;
  const shown = opts.shown;
  const cursor = opts.cursor ?? new LogCursor();
  if (stamped) cursor.resume();
  // Once past what was taken before, the run of entries sharing the last stamp is counted by
  // comparing stamp bytes (decoding every line's stamp cost 200k-line bursts dearly); the
  // cursor is told once per chunk.
  let runStamp: Uint8Array | undefined = cursor.stamp === undefined
    ? undefined
    : Buffer.from(cursor.stamp, "latin1");
  let run = cursor.count;
  let dropping = false;
  let sinceCollect = 0;
  const handle = (frames: LineFrame[]) => {
    let moved = false;
    for (const frame of frames) {
      const payload = frame.payload;
      if (frame.continued && dropping) continue; // the rest of a line already printed
      const space = stamped && !frame.continued ? stampEnd(payload) : -1;
      dropping = false;
      if (space > 0) {
        const stamp = payload.subarray(0, space);
        if (cursor.skipping) {
          if (!cursor.take(latin1.decode(stamp))) {
            dropping = true;
            continue;
          }
          runStamp = stamp;
          run = cursor.count;
        } else if (runStamp && sameBytes(runStamp, stamp)) run++;
        else {
          runStamp = stamp;
          run = 1;
        }
        moved = true;
      }
      let text = space > 0 ? payload.subarray(space + 1) : payload;
      if (skip && skip[frame.stream] > 0) {
        const dropped = Math.min(skip[frame.stream], text.length);
        skip[frame.stream] -= dropped;
        text = text.subarray(dropped);
        if (text.length === 0) continue;
      }
      if (shown) shown[frame.stream] += text.length;
      (frame.stream === "stderr" ? err : out).push(
        space > 0 && opts.showTimestamps ? withStamp(payload, space, text) : text,
      );
    }
    if (moved && runStamp) {
      runStamp = runStamp.slice(); // not a view into a chunk the reader may reuse
      cursor.moveTo(latin1.decode(runStamp), run);
    }
  };
  const onChunk = (chunk: Uint8Array) => {
    sinceCollect += chunk.length;
    if (sinceCollect >= GC_HINT_BYTES) {
      sinceCollect = 0;
      collectGarbageHint();
    }
    handle(decoder.push(chunk));
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
      readable.resume(); // an attach stream waits paused until it is followed
    });
  } catch (e) {
    // An abort is how callers end a follow; anything else is a real error.
    if (!opts.signal?.aborted) throw e;
  } finally {
    if (decoder instanceof StampedRaw) handle(decoder.end());
    out.flush();
    err.flush();
    out.onBlocked = err.onBlocked = undefined;
    (stream as Readable).destroy?.();
  }
  return cursor.stamp;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  // From the end: stamps in a run differ, if at all, in their last digits.
  for (let i = a.length - 1; i >= 0; i--) if (a[i] !== b[i]) return false;
  return true;
}

/** A line shown with its stamp (`--timestamps`): after a skip, the stamp and what is left. */
function withStamp(payload: Uint8Array, space: number, text: Uint8Array): Uint8Array {
  const kept = payload.length - space - 1;
  return kept === text.length ? payload : Buffer.concat([payload.subarray(0, space + 1), text]);
}

/**
 * A TTY container's stamped log, `<stamp> <line>\n` after `<stamp> <line>\n` in one raw byte
 * stream, cut into one frame per line so every line's stamp is found. A line split by a chunk
 * boundary continues in a frame marked `continued`; a stamp split by one waits for its rest.
 */
export class StampedRaw {
  #held: Uint8Array | undefined;
  #atStart = true;

  push(chunk: Uint8Array): LineFrame[] {
    const data = this.#held ? Buffer.concat([this.#held, chunk]) : chunk;
    this.#held = undefined;
    const frames: LineFrame[] = [];
    let pos = 0;
    while (pos < data.length) {
      const nl = data.indexOf(0x0a, pos);
      if (nl < 0 && this.#atStart && data.length - pos < 40 && stampEnd(data.subarray(pos)) < 0) {
        this.#held = data.slice(pos); // perhaps a stamp cut short: wait for the rest
        break;
      }
      const end = nl < 0 ? data.length : nl + 1;
      frames.push({
        stream: "stdout",
        payload: data.subarray(pos, end),
        continued: !this.#atStart,
      });
      this.#atStart = nl >= 0;
      pos = end;
    }
    return frames;
  }

  /** What was held back when the stream ended (a last line with no newline). */
  end(): LineFrame[] {
    const held = this.#held;
    this.#held = undefined;
    return held ? [{ stream: "stdout", payload: held, continued: !this.#atStart }] : [];
  }
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
