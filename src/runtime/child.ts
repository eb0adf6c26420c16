// Runs a helper program to completion (today: `python3` evaluating a `sentry.conf.py`), with
// the bounds a config load needs: a deadline after which the child is killed, a cap on captured
// output, and "not installed" told apart from "failed". Runtime-neutral (`node:child_process`).

import { spawn } from "node:child_process";

export interface CapturedRequest {
  command: string;
  args: readonly string[];
  /** The child's whole environment (never the parent's implicitly). */
  env: Record<string, string | undefined>;
  cwd?: string;
  /** Written to the child's stdin, which is then closed. */
  input?: string;
  timeoutMs: number;
  /** Bytes kept per stream; the rest is dropped and `truncated` set. */
  maxOutputBytes?: number;
}

export interface CapturedResult {
  /** The program could not be started because it does not exist (ENOENT / EACCES). */
  notFound: boolean;
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  truncated: boolean;
}

const DEFAULT_MAX_OUTPUT = 16 * 1024 * 1024;

export function runCaptured(req: CapturedRequest): Promise<CapturedResult> {
  const max = req.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
  return new Promise((resolve) => {
    const env = Object.fromEntries(
      Object.entries(req.env).filter((e): e is [string, string] => e[1] !== undefined),
    );
    let child;
    try {
      child = spawn(req.command, [...req.args], {
        env,
        cwd: req.cwd,
        // Same process group: Ctrl-C on the terminal reaches the child too.
        stdio: ["pipe", "pipe", "pipe"],
      });
    } catch (err) {
      resolve(failedToStart(err));
      return;
    }
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const sizes = { out: 0, err: 0 };
    let truncated = false;
    let timedOut = false;
    let settled = false;
    const keep = (chunks: Buffer[], key: "out" | "err") => (chunk: Buffer) => {
      const room = max - sizes[key];
      if (room <= 0) {
        truncated = true;
        return;
      }
      const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
      if (part.length < chunk.length) truncated = true;
      chunks.push(part);
      sizes[key] += part.length;
    };
    child.stdout.on("data", keep(out, "out"));
    child.stderr.on("data", keep(err, "err"));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
      // Do not wait for pipes that something the child started may still hold open.
      child.stdout.destroy();
      child.stderr.destroy();
      finish(result(null, "SIGKILL"));
    }, req.timeoutMs);
    const result = (code: number | null, signal: string | null): CapturedResult => ({
      notFound: false,
      code,
      signal,
      stdout: Buffer.concat(out).toString("utf8"),
      stderr: Buffer.concat(err).toString("utf8"),
      timedOut,
      truncated,
    });
    const finish = (result: CapturedResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    child.on("error", (e) => finish(failedToStart(e)));
    child.on("close", (code, signal) => finish(result(code, signal)));
    // A child that exits without reading its input must not crash us with EPIPE.
    child.stdin.on("error", () => {});
    child.stdin.end(req.input ?? "");
  });
}

function failedToStart(err: unknown): CapturedResult {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return {
    notFound: code === "ENOENT" || code === "EACCES",
    code: null,
    signal: null,
    stdout: "",
    stderr: err instanceof Error ? err.message : String(err),
    timedOut: false,
    truncated: false,
  };
}
