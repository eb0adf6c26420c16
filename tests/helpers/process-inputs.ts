// Test doubles of the process: the handles of `ProcessInputs` (stdin, signals, exit, terminal,
// clock) with no process behind them (stdin is empty, signals are raised by the test, `exit`
// throws, time is real unless the test passes a clock of tests/helpers/fake-clock.ts),
// and whole process inputs that capture what a command writes, with no terminal attached.

import { EventEmitter } from "node:events";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { type Clock, realClock } from "../../src/runtime/clock.ts";
import type { ProcessInputs, ProcessSignal, Signals } from "../../src/runtime/io.ts";

/** Signals a test raises with `raise`. */
export class TestSignals extends EventEmitter implements Signals {
  raise(signal: ProcessSignal): void {
    this.emit(signal);
  }
}

export type DetachedProcess = Pick<
  ProcessInputs,
  "stdin" | "signals" | "exit" | "terminal" | "clock"
>;

export function detachedProcess(
  signals: Signals = new TestSignals(),
  clock: Clock = realClock,
): DetachedProcess {
  return {
    stdin: () => Readable.from([]),
    signals,
    exit: (code) => {
      throw new Error(`the code under test ended the process (exit ${code})`);
    },
    terminal: { size: () => undefined, onResize: () => () => {} },
    clock,
  };
}

export type CapturedInputs = ProcessInputs & { out: string[]; err: string[] };

export function captureInputs(
  env: Record<string, string | undefined> = {},
  home = mkdtempSync(join(tmpdir(), "sentryctl-home-")),
  cwd = home,
): CapturedInputs {
  const out: string[] = [];
  const err: string[] = [];
  return {
    env,
    home,
    cwd,
    stdout: { write: (d: string | Uint8Array) => out.push(String(d)) },
    stderr: { write: (d: string | Uint8Array) => err.push(String(d)) },
    stdoutIsTTY: false,
    stderrIsTTY: false,
    stdinIsTTY: false,
    ...detachedProcess(),
    out,
    err,
  };
}
