// Safe echoing of user input inside messages: a 10 KB service name or an ANSI escape sequence
// typed (or pasted) by a user must not reach the terminal as-is. Control characters become
// visible escapes and long values are cut with a note of how much was left out.

/** The longest user-supplied value echoed in a message, in characters. */
export const ECHO_LIMIT = 80;

/** Escapes C0/C1 control characters and DEL; cuts values longer than `limit` characters. */
export function echo(input: string, limit = ECHO_LIMIT): string {
  const chars = Array.from(input);
  const shown = chars.length > limit ? chars.slice(0, limit) : chars;
  let out = "";
  for (const ch of shown) out += escapeChar(ch);
  if (chars.length > limit) out += `… (${chars.length - limit} more characters)`;
  return out;
}

function escapeChar(ch: string): string {
  const code = ch.codePointAt(0)!;
  if (ch === "\n") return "\\n";
  if (ch === "\r") return "\\r";
  if (ch === "\t") return "\\t";
  if (code < 0x20 || code === 0x7f || (code >= 0x80 && code < 0xa0)) {
    return `\\x${code.toString(16).padStart(2, "0")}`;
  }
  return ch;
}

/** A source line shown under an error with a caret: at most `width` characters around `col`. */
export function excerptLine(
  line: string,
  col: number,
  width = 120,
): { text: string; caretCol: number } {
  if (line.length <= width) return { text: echoRaw(line), caretCol: col };
  const start = Math.max(0, Math.min(col - 1 - Math.floor(width / 2), line.length - width));
  const prefix = start > 0 ? "…" : "";
  const suffix = start + width < line.length ? "…" : "";
  const text = prefix + echoRaw(line.slice(start, start + width)) + suffix;
  return { text, caretCol: col - start + prefix.length };
}

/** Escapes control characters without truncating (the caller already cut the value). */
function echoRaw(text: string): string {
  let out = "";
  for (const ch of text) {
    const escaped = escapeChar(ch);
    // Tabs keep their width for the caret underneath; other escapes are rare in source lines.
    out += ch === "\t" ? " " : escaped;
  }
  return out;
}
