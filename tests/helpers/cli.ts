// Runs sentryctl as a user would: the compiled binary (`$SENTRYCTL_BIN`, else dist/sentryctl when
// built), or the source through the current runtime. Each run gets a private HOME so no test
// reads the developer's ~/.sentry or ~/.docker.

import { spawn } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));

export function sentryctlCommand(): string[] {
  const bin = process.env.SENTRYCTL_BIN ?? join(REPO_ROOT, "dist/sentryctl");
  if (existsSync(bin)) return [bin];
  return [
    process.execPath,
    ...(process.versions.bun ? [] : ["run", "-A"]),
    join(REPO_ROOT, "main.ts"),
  ];
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  input?: string;
  timeoutMs?: number;
}

export function tempHome(): string {
  return mkdtempSync(join(tmpdir(), "sentryctl-home-"));
}

/** Environment for a test run: a clean HOME, no colour, CI mode, plus overrides. */
export function testEnv(
  overrides: Record<string, string | undefined> = {},
): Record<string, string> {
  const base: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: tempHome(),
    CI: "true",
    NO_COLOR: "1",
    ...overrides,
  };
  return Object.fromEntries(Object.entries(base).filter(([, v]) => v !== undefined)) as Record<
    string,
    string
  >;
}

export function runCli(args: string[], opts: CliOptions = {}): Promise<CliResult> {
  const [cmd, ...pre] = sentryctlCommand();
  return runProgram(cmd!, [...pre, ...args], { ...opts, input: opts.input ?? "" });
}

/**
 * Runs any program to its end and collects its output: in REPO_ROOT with testEnv() unless told,
 * stdin a pipe carrying `input` (without it, /dev/null), killed after `timeoutMs` (60 s).
 */
export function runProgram(cmd: string, args: string[], opts: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, {
      cwd: opts.cwd ?? REPO_ROOT,
      env: opts.env ?? testEnv(),
      stdio: [opts.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (d) => (stdout += d));
    child.stderr!.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 60_000);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr });
    });
    if (opts.input !== undefined) child.stdin!.end(opts.input);
  });
}
