// The `error: …` / `hint: …` shape of failures (SPEC §8); colour decisions come from
// runtime/terminal.ts.

import { SentryctlError } from "../errors.ts";
import { paint } from "../runtime/terminal.ts";

export { colorEnabled, isCI, isInteractive, paint } from "../runtime/terminal.ts";
export type { Color } from "../runtime/terminal.ts";

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
