// HTML escaping for server-rendered pages: every value from an event or from Docker goes
// through `esc` before it reaches markup. `esc` takes any JSON (an object whose `toString` was
// replaced by the sender included) without calling the value's own methods.

import { text } from "../values.ts";

const MAP: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

// C0 controls other than tab, newline and carriage return, and DEL, are shown as their
// Unicode control pictures: visible, and never raw bytes in the markup.
// deno-lint-ignore no-control-regex
const SPECIAL = /[&<>"'\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

function replace(c: string): string {
  const code = c.charCodeAt(0);
  if (code < 0x20) return String.fromCharCode(0x2400 + code);
  if (code === 0x7f) return "\u2421";
  return MAP[c]!;
}

export function esc(value: unknown): string {
  return text(value).replace(SPECIAL, replace);
}

/**
 * Sentry's default scrubbed-fields list (sentry/constants.py DEFAULT_SCRUBBED_FIELDS). Variables
 * are shown as the SDK sent them (the SDK scrubs); as a safety net a key equal, whole and
 * case-insensitively, to one of these is shown as "[Filtered]". `author` or `passenger` are not.
 */
export const SCRUBBED_FIELDS: readonly string[] = [
  "password",
  "secret",
  "passwd",
  "api_key",
  "apikey",
  "auth",
  "credentials",
  "mysql_pwd",
  "privatekey",
  "private_key",
  "token",
  "session",
];

const SCRUBBED = new Set(SCRUBBED_FIELDS);

export function isSecretKey(key: string): boolean {
  return SCRUBBED.has(key.toLowerCase());
}
