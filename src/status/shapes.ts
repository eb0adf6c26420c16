// Readers for the shapes of Sentry payloads that several views need (exceptions, the message,
// span v2 attributes); every input is untrusted JSON of any type.

import { isRecord, list, optText, rec, text } from "./values.ts";

export function exceptionValues(e: Record<string, unknown>): Record<string, unknown>[] {
  const ex = e.exception;
  return list(Array.isArray(ex) ? ex : rec(ex).values).filter(isRecord);
}

/** The message of an event: `logentry`/`message` as a string or `{formatted, message}`. */
export function messageOf(e: Record<string, unknown>): string | undefined {
  for (const m of [e.logentry, e.message]) {
    if (typeof m === "string" && m !== "") return m;
    if (isRecord(m)) {
      const s = optText(m.formatted) ?? optText(m.message);
      if (s !== undefined) return s;
      // Whatever type was sent, a message is shown as text.
      const any = m.formatted ?? m.message;
      if (any !== undefined && any !== null) return text(any, 1000);
    }
  }
  return undefined;
}

/** A span v2 attribute (`{value, type}`) or a plain value. */
export function attr(attrs: unknown, key: string): unknown {
  const a = rec(attrs)[key];
  return isRecord(a) && "value" in a ? a.value : a;
}
