// Titles as Sentry computes them, from the classified item: an error is "Type: value", a
// message event its message, a transaction its name, a span its name (or description, or op),
// a log record its body; the rest say what they are. Inputs are untrusted JSON of any type.

import type { StoredItem } from "./item-types.ts";
import { attr, exceptionValues, messageOf } from "./shapes.ts";
import { isRecord, list, num, optText, rec, stripAnsi, text } from "./values.ts";

function errorTitle(e: Record<string, unknown>): string {
  const values = exceptionValues(e);
  const ex = values[values.length - 1];
  if (!ex) return messageOf(e) ?? "<unlabeled event>";
  const type = optText(ex.type);
  const value = text(ex.value);
  if (!type) return messageOf(e) ?? (value || "Error");
  return value ? `${type}: ${value}` : type;
}

export function itemTitle(it: StoredItem): string {
  const p = rec(it.payload);
  switch (it.kind) {
    case "error":
      return errorTitle(p);
    case "message":
      return messageOf(p) ?? "<unlabeled event>";
    case "transaction":
      return optText(p.transaction) ?? "<unlabeled transaction>";
    case "span":
      return optText(p.name) ?? optText(p.description) ?? it.op ?? "span";
    case "log":
      return stripAnsi(text(p.body ?? p.message, 1000));
    case "feedback": {
      const fb = rec(rec(p.contexts).feedback);
      return `Feedback: ${text(fb.message ?? p.comments ?? p.message, 500)}`;
    }
    case "session": {
      const inner = list(p.aggregates);
      if (inner.length > 0) return `Sessions (${inner.length} aggregates)`;
      return `Session ${it.status ?? ""}${it.release ? ` · ${it.release}` : ""}`.trim();
    }
    case "client_report": {
      const n = list(p.discarded_events).reduce<number>(
        (sum, d) => sum + (isRecord(d) ? num(d.quantity) ?? 0 : 0),
        0,
      );
      return `Client report: ${n} discarded`;
    }
    case "attachment":
      return `Attachment ${it.filename ?? ""}`.trim();
    case "profile":
      return `Profile${
        optText(rec(list(p.transactions)[0]).name)
          ? ` of ${optText(rec(list(p.transactions)[0]).name)}`
          : ""
      }`;
    case "check_in":
      return `Check-in ${text(p.monitor_slug)} ${it.status ?? ""}`.trim();
    case "metric":
      return `Metrics (${it.type})`;
    case "replay":
      return `Replay (${it.type})`;
    default:
      return it.type;
  }
}

/** Op of a span payload (v2 keeps it in attributes). */
export function spanOp(p: Record<string, unknown>): string | undefined {
  return optText(p.op) ?? optText(attr(p.attributes, "sentry.op"));
}
