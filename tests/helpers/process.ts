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
    this.exited = new Promise((resolve) => {
      this.child.on(
        "close",
        (code, signal) =>
          resolve({
            code,
            signal,
            stdout: this.stdout,
            stderr: this.stderr,
            elapsedMs: Date.now() - this.#started,
          }),
      );
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
