// HTML escaping for server-rendered pages: every value from an event or from Docker goes
// through `esc` (or `attr`) before it reaches markup.

const MAP: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export function esc(value: unknown): string {
  return String(value ?? "").replace(/[&<>"']/g, (c) => MAP[c]!);
}

/** Keys whose values are shown as "[Filtered]": secrets are never rendered. */
const SECRET_KEY =
  /pass(word|wd)?|secret|token|api_?key|auth|cookie|session|credential|dsn|private/i;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}
