// Small checks on values loaded from YAML or a settings module.

/** A plain mapping (not null, not a list). */
export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** An HTTP answer's body: its JSON when it is JSON, else the text itself; empty is undefined. */
export function jsonOrText(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
