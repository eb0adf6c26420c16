// Streams a container's logs to our stdout/stderr through the logs API (no hijacked attach,
// which hangs under Bun). Timestamps are always requested so that, when the stream ends
// because Docker restarted the container, following resumes exactly after the last line seen.

import type { Writer } from "../runtime/io.ts";
import type { Engine } from "../docker/engine.ts";
import { compareTimestamps, FrameDecoder } from "../docker/demux.ts";

export interface LogSinks {
  stdout: Writer;
  stderr: Writer;
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
}

const SPACE = 0x20;
const latin1 = new TextDecoder("latin1");

/** Follows one log stream until it ends; returns the last timestamp printed (if any). */
export async function streamLogs(
  docker: Engine,
  containerId: string,
  raw: boolean,
  sinks: LogSinks,
  opts: FollowOptions,
): Promise<string | undefined> {
  const stream = await docker.logs(containerId, {
    follow: opts.follow,
    since: opts.since,
    tail: opts.tail,
    timestamps: true,
    signal: opts.signal,
  });
  const decoder = new FrameDecoder(raw);
  const out = new BatchedWriter(sinks.stdout);
  const err = new BatchedWriter(sinks.stderr);
  let last = opts.after;
  let skipping = opts.after !== undefined;
  try {
    for await (const chunk of stream as AsyncIterable<Uint8Array>) {
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
    }
  } catch (e) {
    // An abort is how callers end a follow; anything else is a real error.
    if (!opts.signal?.aborted) throw e;
  } finally {
    out.flush();
    err.flush();
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
 * Coalesces many small writes (Docker sends one frame per log line) into few large ones:
 * flushed when 64 KiB are pending or once the current burst of chunks has been processed.
 */
class BatchedWriter {
  #parts: Uint8Array[] = [];
  #size = 0;
  #scheduled = false;

  constructor(private readonly sink: Writer) {}

  push(part: Uint8Array): void {
    this.#parts.push(part);
    this.#size += part.length;
    if (this.#size >= 65536) this.flush();
    else if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => this.flush());
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
    this.sink.write(data);
  }
}
