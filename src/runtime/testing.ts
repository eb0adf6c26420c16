// Test support: the process handles of `ProcessInputs` (stdin, signals, exit, terminal) with no
// process behind them: stdin is empty, signals are raised by the test, `exit` throws.

import { EventEmitter } from "node:events";
import { Readable } from "node:stream";
import type { ProcessInputs, ProcessSignal, Signals } from "./io.ts";

/** Signals a test raises with `raise`. */
export class TestSignals extends EventEmitter implements Signals {
  raise(signal: ProcessSignal): void {
    this.emit(signal);
  }
}

export type DetachedProcess = Pick<ProcessInputs, "stdin" | "signals" | "exit" | "terminal">;

export function detachedProcess(signals: Signals = new TestSignals()): DetachedProcess {
  return {
    stdin: () => Readable.from([]),
    signals,
    exit: (code) => {
      throw new Error(`the code under test ended the process (exit ${code})`);
    },
    terminal: { size: () => undefined, onResize: () => () => {} },
  };
}
