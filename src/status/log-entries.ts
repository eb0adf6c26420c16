// Docker's stamped log (the logs API with `timestamps=1`) as log entries and lines. An entry is
// what Docker stored as one message: a line, or a piece of a line longer than its 16 KiB buffer
// (no newline, its own stamp). Where a follow stands in the log (to resume without a gap or a
// repeat) is docker/log-cursor.ts, shared with `logs -f` and attach.

import { FrameDecoder, type StreamKind } from "../docker/demux.ts";
import { stampEnd } from "../docker/log-cursor.ts";

export interface LogEntry {
  stream: StreamKind;
  /** RFC 3339 nano stamp as Docker wrote it ("" when the entry had none). */
  stamp: string;
  /** The entry's bytes after the stamp, with its newline if it ended a line. */
  payload: Uint8Array;
}

const NEWLINE = 0x0a;
const latin1 = new TextDecoder("latin1");

function entry(stream: StreamKind, bytes: Uint8Array): LogEntry {
  const space = stampEnd(bytes);
  return space < 0 ? { stream, stamp: "", payload: bytes } : {
    stream,
    stamp: latin1.decode(bytes.subarray(0, space)),
    payload: bytes.subarray(space + 1),
  };
}

/**
 * Splits the stamped logs stream into entries: one multiplexed frame each, or, for a TTY
 * container (one raw byte stream), one `<stamp> <text>\n` each.
 */
export class EntryDecoder {
  readonly #frames: FrameDecoder | undefined;
  #held: Uint8Array[] = [];

  constructor(readonly tty: boolean) {
    if (!tty) this.#frames = new FrameDecoder(false);
  }

  push(chunk: Uint8Array): LogEntry[] {
    if (this.#frames) return this.#frames.push(chunk).map((f) => entry(f.stream, f.payload));
    const out: LogEntry[] = [];
    let pos = 0;
    for (let nl = chunk.indexOf(NEWLINE); nl >= 0; nl = chunk.indexOf(NEWLINE, pos)) {
      const piece = chunk.subarray(pos, nl + 1);
      const whole = this.#held.length > 0 ? Buffer.concat([...this.#held, piece]) : piece;
      this.#held = [];
      out.push(entry("stdout", whole));
      pos = nl + 1;
    }
    if (pos < chunk.length) this.#held.push(chunk.slice(pos));
    return out;
  }

  /** A TTY entry the stream ended in the middle of (no newline). */
  end(): LogEntry[] {
    if (this.#held.length === 0) return [];
    const whole = Buffer.concat(this.#held);
    this.#held = [];
    return [entry("stdout", whole)];
  }
}

/**
 * Joins entries into lines per stream (a long line arrives as several entries). A TTY's line
 * ends in CR LF: the CR is the terminal's, not the program's, and is dropped.
 */
export class LineJoiner {
  readonly #partial: Record<StreamKind, Uint8Array[]> = { stdout: [], stderr: [] };
  readonly #text = new TextDecoder();

  constructor(readonly tty: boolean) {}

  /** The line `e` completes, if it ends one. */
  push(e: LogEntry): string | undefined {
    const p = e.payload;
    if (p.length === 0 || p[p.length - 1] !== NEWLINE) {
      if (p.length > 0) this.#partial[e.stream].push(p);
      return undefined;
    }
    let end = p.length - 1;
    if (this.tty && end > 0 && p[end - 1] === 0x0d) end--;
    const held = this.#partial[e.stream];
    if (held.length === 0) return this.#text.decode(p.subarray(0, end));
    this.#partial[e.stream] = [];
    return this.#text.decode(Buffer.concat([...held, p.subarray(0, end)]));
  }

  /** Lines cut short (the container stopped in the middle of one), to show before moving on. */
  flush(): { stream: StreamKind; text: string }[] {
    const out: { stream: StreamKind; text: string }[] = [];
    for (const stream of ["stdout", "stderr"] as const) {
      const held = this.#partial[stream];
      if (held.length === 0) continue;
      this.#partial[stream] = [];
      out.push({ stream, text: this.#text.decode(Buffer.concat(held)) });
    }
    return out;
  }
}
