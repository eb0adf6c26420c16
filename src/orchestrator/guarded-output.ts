// stdout/stderr as attach uses them: a closed pipe (`| head -1`, EPIPE) or a failing one
// (`>/dev/full`, ENOSPC) is a stop request, never a stack trace or a hang. Bun reports both as
// an `error` event; Deno throws ENOSPC from `write` itself. Either way the failure is recorded
// once, later writes are dropped, and `write` reports back-pressure so the log stream waits for
// the terminal instead of buffering (SPEC §9: attach's RSS under a burst stays bounded).

import type { Writer } from "../runtime/io.ts";

interface Emitting {
  on?(event: string, listener: (...args: unknown[]) => void): unknown;
  once?(event: string, listener: (...args: unknown[]) => void): unknown;
  off?(event: string, listener: (...args: unknown[]) => void): unknown;
}

export class GuardedOutput implements Writer {
  #failure: Error | undefined;
  #listeners: ((err: Error) => void)[] = [];
  #waiters: (() => void)[] = [];
  readonly #onError = (err: unknown) => this.#fail(err as Error);
  readonly #onDrain = () => this.#wake();

  constructor(private readonly stream: Writer, readonly name: "stdout" | "stderr") {
    const s = stream as Writer & Emitting;
    s.on?.("error", this.#onError);
    s.on?.("drain", this.#onDrain);
  }

  /** The write error that ended this output, if any. */
  get failure(): Error | undefined {
    return this.#failure;
  }

  onFailure(listener: (err: Error) => void): void {
    this.#listeners.push(listener);
  }

  /** Writes; false means "wait for `drained()`" (or the output has failed). */
  write(data: string | Uint8Array): boolean {
    if (this.#failure) return false;
    try {
      return this.stream.write(data) !== false;
    } catch (err) {
      this.#fail(err as Error);
      return false;
    }
  }

  /** Resolves once the stream has room again, or has failed. */
  drained(): Promise<void> {
    if (this.#failure) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Stops listening to the underlying stream (keeps the recorded failure). */
  release(): void {
    const s = this.stream as Writer & Emitting;
    s.off?.("drain", this.#onDrain);
    // The error listener stays: a late EPIPE must not become an unhandled error event.
    this.#wake();
  }

  #fail(err: Error): void {
    if (this.#failure) return;
    this.#failure = err;
    this.#wake();
    for (const listener of this.#listeners) listener(err);
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const resolve of waiters) resolve();
  }
}

/** `EPIPE` / `ENOSPC` / … of a failed write, for the one-line message. */
export function writeErrorCode(err: Error): string {
  const code = (err as Error & { code?: unknown }).code;
  return typeof code === "string" ? code : err.name;
}
