// Sentry's warning texts, as pure functions: `DeprecatedSettingWarning` and `show_big_error`'s
// box of `!!` lines (Python `str.center` padding; the border is capped at 80 characters, the
// rows are not).

import { center, pyLen } from "../lib/python.ts";

export interface DeprecatedSetting {
  setting: string;
  replacement: string;
  url?: string;
  removedInVersion?: string;
}

/** `str(DeprecatedSettingWarning(...))`. */
export function deprecatedSettingText(w: DeprecatedSetting): string {
  const chunks = [`The ${w.setting} setting is deprecated. Please use ${w.replacement} instead.`];
  if (w.removedInVersion) {
    chunks.push(`This setting will be removed in Sentry ${w.removedInVersion}.`);
  }
  if (w.url) chunks.push(`See ${w.url} for more information.`);
  return chunks.join(" ");
}

/**
 * The lines `show_big_error` prints, in order: an empty line, the border, an empty row, one row
 * per message line, an empty row, the border, an empty line. A string message is stripped and
 * split into lines first (Python `strip()` + `splitlines()`).
 */
export function bigErrorLines(message: string | readonly string[]): string[] {
  const lines = typeof message === "string" ? message.trim().split(/\r\n|\r|\n/) : [...message];
  const maxline = Math.max(...lines.map(pyLen));
  const border = `!!!${"!".repeat(Math.min(maxline, 80))}!!!`;
  const row = (text: string) => `!! ${center(text, maxline)} !!`;
  return ["", border, row(""), ...lines.map(row), row(""), border, ""];
}
