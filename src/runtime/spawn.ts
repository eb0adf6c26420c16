// Runs a command as a child with our stdio, forwards termination signals to it, and reports
// its exit status the way a shell does: its code, or 128+N when it died of signal N.
// node:child_process only, so it behaves the same under Bun, Deno and Node.

import { spawn } from "node:child_process";
import { constants } from "node:os";

import type { ProcessSignal, Signals } from "./io.ts";

export interface ChildSpec {
  command: string;
  args: readonly string[];
  env: Record<string, string>;
  cwd?: string;
  signals: Signals;
  /**
   * Signals passed on to the child. A terminal's Ctrl-C already reaches every process of the
   * foreground group, so the caller leaves SIGINT out when stdin is a TTY (else pytest & co.
   * would see two interrupts and skip their clean-up).
   */
  forward: readonly ProcessSignal[];
  /** Called once the child runs, with a way to signal it (tests, set-up races). */
  onStart?: (pid: number) => void;
}

export type ChildResult =
  | { kind: "exited"; status: number; signal?: string; forwarded: string[] }
  | { kind: "not-started"; status: 126 | 127; message: string };

/** 128+N for a signal name, as shells report it; 128+15 for SIGTERM. */
export function signalStatus(signal: string): number {
  const n = (constants.signals as Record<string, number | undefined>)[signal];
  return 128 + (n ?? 0);
}

export function runForwardingSignals(spec: ChildSpec): Promise<ChildResult> {
  return new Promise((resolve) => {
    const forwarded: string[] = [];
    const child = spawn(spec.command, [...spec.args], {
      env: spec.env,
      cwd: spec.cwd,
      stdio: "inherit",
    });
    const handlers = spec.forward.map((sig) => {
      const handler = () => {
        forwarded.push(sig);
        try {
          child.kill(sig);
        } catch {
          // Already gone: its exit event carries the status.
        }
      };
      spec.signals.on(sig, handler);
      return [sig, handler] as const;
    });
    const detach = () => {
      for (const [sig, handler] of handlers) spec.signals.off(sig, handler);
    };
    child.once("spawn", () => spec.onStart?.(child.pid!));
    child.once("error", (err: NodeJS.ErrnoException) => {
      detach();
      const denied = err.code === "EACCES" || err.code === "EISDIR";
      resolve({
        kind: "not-started",
        status: denied ? 126 : 127,
        message: denied
          ? `cannot run '${spec.command}': permission denied`
          : `cannot run '${spec.command}': ${
            err.code === "ENOENT" ? "command not found" : err.message
          }`,
      });
    });
    child.once("exit", (code, signal) => {
      detach();
      resolve(
        signal
          ? { kind: "exited", status: signalStatus(signal), signal, forwarded }
          : { kind: "exited", status: code ?? 1, forwarded },
      );
    });
  });
}
