// Streams a container's logs to our stdout/stderr through the logs API (no hijacked attach,
// which hangs under Bun). Timestamps are always requested so that, when the stream ends
// because Docker restarted the container, following resumes exactly after the last line seen.

import type { Writer } from "../bootstrap/context.ts";
import type { DockerClient } from "../docker/client.ts";
import { compareTimestamps, FrameDecoder, timestampToSince } from "../docker/demux.ts";

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
  docker: DockerClient,
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
  let last = opts.after;
  let skipping = opts.after !== undefined;
  try {
    for await (const chunk of stream as AsyncIterable<Uint8Array>) {
      const out: Uint8Array[] = [];
      const err: Uint8Array[] = [];
      for (const frame of decoder.push(chunk)) {
        const payload = frame.payload;
        const space = payload.indexOf(SPACE);
        // Raw TTY streams may split lines arbitrarily; only strip what parses as a timestamp.
        const stamp = space > 19 && space < 40 && payload[4] === 0x2d
          ? latin1.decode(payload.subarray(0, space))
          : undefined;
        if (stamp && skipping) {
          if (compareTimestamps(stamp, opts.after!) <= 0) continue;
          skipping = false;
        }
        if (stamp) last = stamp;
        const line = stamp && !opts.showTimestamps ? payload.subarray(space + 1) : payload;
        (frame.stream === "stderr" ? err : out).push(line);
      }
      if (out.length > 0) sinks.stdout.write(joinChunks(out));
      if (err.length > 0) sinks.stderr.write(joinChunks(err));
    }
  } catch (e) {
    // An abort is how callers end a follow; anything else is a real error.
    if (!opts.signal?.aborted) throw e;
  }
  return last;
}

function joinChunks(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  return Buffer.concat(parts);
}

/** `since` value that resumes right after `timestamp`. */
export function resumeSince(timestamp: string): string {
  return timestampToSince(timestamp);
}
