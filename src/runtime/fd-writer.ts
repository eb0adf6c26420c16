// stdout and stderr for the CLI: synchronous writes to the file descriptor until a caller needs
// the stream itself. Creating `process.stdout` costs a short command like `sentryctl ps` 10–20 ms
// of its start-up (the runtime builds a stream object), more than the table it prints; a write
// to fd 1 costs microseconds. Callers that stream (attach, logs -f) subscribe to `drain`/`error`,
// which hands them the real stream from then on; what was written before has already reached the
// descriptor, so nothing is reordered. A closed reader (`| head -1`, EPIPE) stops the output
// quietly and is remembered, so the CLI edge can end the way a pipeline expects (exit 141).

import { writeSync } from "node:fs";
import type { Writer } from "./io.ts";

type Listener = (...args: unknown[]) => void;

interface EventStream extends Writer {
  on(event: string, listener: Listener): unknown;
  once(event: string, listener: Listener): unknown;
  off(event: string, listener: Listener): unknown;
}

export class FdWriter implements Writer {
  #stream: EventStream | undefined;
  #broken: Error | undefined;

  constructor(
    private readonly fd: number,
    private readonly open: () => EventStream,
    private readonly writeFd: (fd: number, bytes: Uint8Array) => number = writeSync,
  ) {}

  /** The write error that closed this output (EPIPE, ENOSPC…), if one did. */
  get broken(): Error | undefined {
    return this.#broken;
  }

  /** The reader went away (`| head -1`): EPIPE. */
  get readerGone(): boolean {
    return (this.#broken as { code?: unknown } | undefined)?.code === "EPIPE";
  }

  write(data: string | Uint8Array): boolean {
    if (this.#stream) return this.#stream.write(data) !== false;
    if (this.#broken) return false;
    let bytes = typeof data === "string" ? Buffer.from(data) : data;
    try {
      while (bytes.length > 0) bytes = bytes.subarray(this.writeFd(this.fd, bytes));
      return true;
    } catch (err) {
      // A non-blocking descriptor that is full: the stream queues the rest in order.
      if ((err as { code?: string }).code === "EAGAIN") {
        return this.#streamNow().write(bytes) !== false;
      }
      this.#broken = err as Error;
      return false;
    }
  }

  on(event: string, listener: Listener): this {
    this.#streamNow().on(event, listener);
    return this;
  }

  once(event: string, listener: Listener): this {
    this.#streamNow().once(event, listener);
    return this;
  }

  off(event: string, listener: Listener): this {
    this.#stream?.off(event, listener);
    return this;
  }

  #streamNow(): EventStream {
    this.#stream ??= this.open();
    return this.#stream;
  }
}
