// Test support: process inputs that capture what a command writes, with no terminal attached.

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ProcessInputs } from "../runtime/io.ts";
import { detachedProcess } from "../runtime/testing.ts";

export type CapturedInputs = ProcessInputs & { out: string[]; err: string[] };

export function captureInputs(
  env: Record<string, string> = {},
  home = mkdtempSync(join(tmpdir(), "sentryctl-home-")),
): CapturedInputs {
  const out: string[] = [];
  const err: string[] = [];
  return {
    env,
    home,
    cwd: home,
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
