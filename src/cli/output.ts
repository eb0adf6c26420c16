// Terminal output decisions in one place: colour only on a TTY without NO_COLOR or CI, and the
// `error: …` / `hint: …` shape of failures (SPEC §8).

import type { ProcessInputs } from "../bootstrap/context.ts";
import { SentryctlError } from "../errors.ts";

export type Color = "red" | "green" | "yellow" | "cyan" | "dim" | "bold";
const CODES: Record<Color, [number, number]> = {
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
  dim: [2, 22],
  bold: [1, 22],
};

export function isInteractive(inputs: ProcessInputs): boolean {
  return inputs.stdinIsTTY && inputs.stdoutIsTTY && !isCI(inputs.env);
}

export function isCI(env: Record<string, string | undefined>): boolean {
  const ci = env.CI;
  return ci !== undefined && ci !== "" && ci !== "0" && ci.toLowerCase() !== "false";
}

export function colorEnabled(inputs: ProcessInputs, stream: "stdout" | "stderr"): boolean {
  if (inputs.env.NO_COLOR !== undefined && inputs.env.NO_COLOR !== "") return false;
  if (isCI(inputs.env)) return false;
  return stream === "stdout" ? inputs.stdoutIsTTY : inputs.stderrIsTTY;
}

export function paint(enabled: boolean, color: Color, text: string): string {
  if (!enabled) return text;
  const [open, close] = CODES[color];
  return `\x1b[${open}m${text}\x1b[${close}m`;
}

/** Formats any thrown value for stderr. Stack traces only with `--verbose` or for bugs. */
export function formatError(err: unknown, verbose: boolean, color: boolean): string {
  const lines: string[] = [];
  if (err instanceof SentryctlError) {
    lines.push(`${paint(color, "red", "error:")} ${err.message}`);
    if (err.details) lines.push(err.details);
    if (err.hint) lines.push(`${paint(color, "yellow", "hint:")} ${err.hint}`);
    if (verbose && err.cause instanceof Error) lines.push(`cause: ${err.cause.stack ?? err.cause}`);
    if (verbose && err.stack) lines.push(err.stack);
  } else {
    const e = err instanceof Error ? err : new Error(String(err));
    lines.push(`${paint(color, "red", "error:")} unexpected: ${e.message}`);
    lines.push(
      `${
        paint(color, "yellow", "hint:")
      } this is a bug in sentryctl; run with --verbose for the stack trace`,
    );
    if (verbose && e.stack) lines.push(e.stack);
  }
  return lines.join("\n") + "\n";
}
