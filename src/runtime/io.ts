// The process's inputs and outputs as plain values: commands and modules receive these instead
// of reading `process.*`, so tests (and the status server) can pass their own. Only the CLI
// edge (`processInputs()` in src/cli/run.ts) builds them from the real process.

import type { Readable } from "node:stream";
import type { Clock } from "./clock.ts";

export interface Writer {
  write(data: string | Uint8Array): unknown;
}

/** The termination signals sentryctl listens for or passes on to a child. */
export type ProcessSignal = "SIGINT" | "SIGTERM" | "SIGHUP" | "SIGQUIT";

/** Where the process's termination signals arrive (the real `process`, or a test double). */
export interface Signals {
  on(signal: ProcessSignal, listener: () => void): unknown;
  off(signal: ProcessSignal, listener: () => void): unknown;
}

/** Standard input as a stream; a terminal can be put in raw mode. */
export type StdinStream = Readable & { setRawMode?(raw: boolean): unknown };

/** The terminal on stdout: its size now and a subscription to its changes. */
export interface TerminalSize {
  size(): { rows: number; cols: number } | undefined;
  onResize(listener: () => void): () => void;
}

export interface ProcessInputs {
  env: Record<string, string | undefined>;
  home: string;
  cwd: string;
  stdout: Writer;
  stderr: Writer;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  stdinIsTTY: boolean;
  /** Standard input, built on first call (making the stream costs a short command time). */
  stdin(): StdinStream;
  signals: Signals;
  /** Ends the process at once with `code` (attach's second interrupt). */
  exit(code: number): void;
  terminal: TerminalSize;
  /** Time: "now" and pauses, for everything that waits (./clock.ts, ./poll.ts). */
  clock: Clock;
  /**
   * Starts this program again in place of the process with `extra` added to its environment
   * (./relaunch.ts); returns false when that cannot be done here. Absent in test doubles.
   */
  relaunch?(extra: Record<string, string>): boolean;
}
