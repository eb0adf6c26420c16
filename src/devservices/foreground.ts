// Running a program in the foreground (`serve`, `foreground PROGRAM`): on a terminal the child
// gets it directly; without one it gets a pseudo-terminal through util-linux/BSD `script` when
// that exists (programs such as devservers colour and line-buffer only on a tty), else pipes.

import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import type { Signals } from "../runtime/io.ts";

export interface ForegroundInput {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string | undefined>;
  stdinIsTTY: boolean;
  platform: string;
  /** The process's signals (from the edge): SIGINT is held off while the child runs. */
  signals: Signals;
}

function quote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/** The argv that runs `command args…` (a shell line) on a pty, or undefined for plain pipes. */
export function ptyArgv(input: ForegroundInput): string[] | undefined {
  const line = [input.command, ...input.args.map(quote)].join(" ");
  if (input.stdinIsTTY) return ["/bin/sh", "-c", line];
  if (!existsSync("/usr/bin/script")) return undefined;
  return input.platform === "linux"
    ? ["/usr/bin/script", "-qefc", line, "/dev/null"]
    : ["/usr/bin/script", "-q", "/dev/null", "/bin/sh", "-c", line];
}

/** Runs it with our stdio; resolves with its exit status (128+N for a signal). */
export function runForeground(input: ForegroundInput): Promise<number> {
  const argv = ptyArgv(input) ??
    ["/bin/sh", "-c", [input.command, ...input.args.map(quote)].join(" ")];
  return new Promise((resolve) => {
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd: input.cwd,
      env: input.env,
      stdio: "inherit",
    });
    // The terminal's Ctrl-C reaches the child (same process group); we wait for it to end.
    const ignore = () => {};
    input.signals.on("SIGINT", ignore);
    child.on("error", () => resolve(127));
    child.on("exit", (code, signal) => {
      input.signals.off("SIGINT", ignore);
      const signals: Record<string, number> = { SIGINT: 2, SIGTERM: 15, SIGKILL: 9, SIGHUP: 1 };
      resolve(code ?? 128 + (signals[signal ?? ""] ?? 1));
    });
  });
}
