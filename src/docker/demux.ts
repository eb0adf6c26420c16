// Splits Docker's multiplexed log stream (8-byte frame headers: stream type, 3 zero bytes,
// big-endian length) into stdout and stderr payloads. Stateful, because frames straddle chunks.
// Output is batched per input chunk: one write per stream per chunk keeps `logs -f` fast.

export type StreamKind = "stdout" | "stderr";

export interface Frame {
  stream: StreamKind;
  payload: Uint8Array;
}

export class FrameDecoder {
  #pending: Uint8Array = new Uint8Array(0);
  /** Set once the stream turns out not to be framed (a TTY container): pass bytes through. */
  #raw = false;

  constructor(raw = false) {
    this.#raw = raw;
  }

  /** Feeds a chunk; returns the complete frames it finished. */
  push(chunk: Uint8Array): Frame[] {
    if (this.#raw) return chunk.length > 0 ? [{ stream: "stdout", payload: chunk }] : [];
    const data = this.#pending.length > 0 ? concat(this.#pending, chunk) : chunk;
    const frames: Frame[] = [];
    let offset = 0;
    while (data.length - offset >= 8) {
      const type = data[offset]!;
      if (type > 2 || data[offset + 1] !== 0 || data[offset + 2] !== 0 || data[offset + 3] !== 0) {
        // Not a frame header: this is a raw (TTY) stream. Hand over everything from here on.
        this.#raw = true;
        frames.push({ stream: "stdout", payload: data.subarray(offset) });
        this.#pending = new Uint8Array(0);
        return frames;
      }
      const length = ((data[offset + 4]! << 24) >>> 0) + (data[offset + 5]! << 16) +
        (data[offset + 6]! << 8) + data[offset + 7]!;
      if (data.length - offset - 8 < length) break;
      frames.push({
        stream: type === 2 ? "stderr" : "stdout",
        payload: data.subarray(offset + 8, offset + 8 + length),
      });
      offset += 8 + length;
    }
    this.#pending = data.slice(offset);
    return frames;
  }

  /** Bytes of an incomplete frame left when the stream ended. */
  get leftover(): number {
    return this.#pending.length;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** Converts an RFC 3339 nano timestamp to Docker's `since` form: `<seconds>.<nanoseconds>`. */
export function timestampToSince(timestamp: string): string {
  const match = /^(.*T\d{2}:\d{2}:\d{2})(?:\.(\d+))?Z$/.exec(timestamp);
  if (!match) return String(Math.floor(Date.parse(timestamp) / 1000));
  const seconds = Math.floor(Date.parse(`${match[1]}Z`) / 1000);
  const nanos = (match[2] ?? "").padEnd(9, "0").slice(0, 9);
  return `${seconds}.${nanos}`;
}

/** Compares two RFC 3339 nano timestamps (same zone, `Z`) by time. */
export function compareTimestamps(a: string, b: string): number {
  const sa = timestampToSince(a);
  const sb = timestampToSince(b);
  const [secA, nsA] = sa.split(".");
  const [secB, nsB] = sb.split(".");
  return Number(secA) - Number(secB) || Number(nsA ?? 0) - Number(nsB ?? 0);
}
