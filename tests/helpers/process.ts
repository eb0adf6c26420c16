// A long-running sentryctl child (e.g. `attach`) that tests can wait on and signal.

import { type ChildProcess, spawn } from "node:child_process";
import { REPO_ROOT, sentryctlCommand, testEnv } from "./cli.ts";

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Milliseconds from `start` to exit. */
  elapsedMs: number;
}

export class RunningCli {
  /** Every child not yet exited, so a suite's `after` can kill what a failed test left. */
  static readonly live = new Set<RunningCli>();

  /** SIGKILLs every child still running and waits for them (call in `after`). */
  static async killAll(): Promise<void> {
    const running = [...RunningCli.live];
    for (const run of running) run.child.kill("SIGKILL");
    await Promise.all(running.map((run) => run.exited));
  }

  stdout = "";
  stderr = "";
  readonly child: ChildProcess;
  readonly exited: Promise<Exit>;
  readonly #started = Date.now();

  constructor(args: string[], env: Record<string, string> = testEnv()) {
    const [cmd, ...pre] = sentryctlCommand();
    this.child = spawn(cmd!, [...pre, ...args], {
      cwd: REPO_ROOT,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child.stdout!.on("data", (d) => (this.stdout += d));
    this.child.stderr!.on("data", (d) => (this.stderr += d));
    RunningCli.live.add(this);
    this.exited = new Promise((resolve) => {
      this.child.on("close", (code, signal) => {
        RunningCli.live.delete(this);
        resolve({
          code,
          signal,
          stdout: this.stdout,
          stderr: this.stderr,
          elapsedMs: Date.now() - this.#started,
        });
      });
    });
  }

  /** Resolves when stdout+stderr match `pattern`; rejects with the output on timeout or exit. */
  async waitFor(pattern: RegExp, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let exited = false;
    void this.exited.then(() => (exited = true));
    while (!pattern.test(this.stdout + this.stderr)) {
      if (exited) {
        throw new Error(`process exited before ${pattern}:\n${this.stdout}\n${this.stderr}`);
      }
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for ${pattern}:\n${this.stdout}\n${this.stderr}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  signal(sig: NodeJS.Signals): void {
    this.child.kill(sig);
  }
}
