// `sentryctl tail`'s lines: one per item of an envelope from `GET /stream` (Spotlight's
// `[header, [[item header, payload], …]]`), one per record of a log container. Each item is
// first reduced to a row (time, kind, level, message, fields), then written as human text,
// JSON, logfmt or Markdown. Titles follow Sentry: an exception's `Type: value` (the last
// exception, the one raised), a message event's message, a transaction's name.

export type TailFormat = "human" | "json" | "logfmt" | "md";
export type TailKind = "errors" | "traces" | "logs" | "attachments" | "all";

export const TAIL_KINDS: readonly TailKind[] = ["errors", "traces", "logs", "attachments", "all"];
export const TAIL_FORMATS: readonly TailFormat[] = ["human", "json", "logfmt", "md"];

const KIND_OF_TYPE: Record<string, TailKind> = {
  event: "errors",
  transaction: "traces",
  span: "traces",
  log: "logs",
  attachment: "attachments",
};

export interface TailRow {
  /** Milliseconds since the epoch. */
  time: number;
  type: string;
  level: string;
  message: string;
  fields: Record<string, string | number>;
}

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? v as Obj : {};
}

function str(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

/** Seconds (number), an RFC 3339 string, or nothing → milliseconds. */
function timeOf(v: unknown, fallback: number): number {
  if (typeof v === "number" && Number.isFinite(v)) return v > 1e11 ? v : v * 1000;
  if (typeof v === "string") {
    const t = Date.parse(v);
    if (!Number.isNaN(t)) return t;
  }
  return fallback;
}

function messageOf(e: Obj): string | undefined {
  const m = e.message;
  if (typeof m === "string") return str(m);
  const le = obj(e.logentry ?? m);
  return str(le.formatted) ?? str(le.message);
}

function errorRow(e: Obj, time: number): TailRow {
  const values = obj(e.exception).values;
  const exc = Array.isArray(values) && values.length > 0 ? obj(values[values.length - 1]) : null;
  const fields: Record<string, string | number> = {};
  let message: string;
  if (exc && (str(exc.type) || str(exc.value))) {
    message = [str(exc.type), str(exc.value)].filter(Boolean).join(": ");
    const frames = obj(exc.stacktrace).frames;
    if (Array.isArray(frames) && frames.length > 0) {
      const inApp = frames.filter((f) => obj(f).in_app === true);
      const f = obj((inApp.length > 0 ? inApp : frames)[(inApp.length || frames.length) - 1]);
      const file = str(f.filename) ?? str(f.abs_path) ?? str(f.module);
      if (file) fields.at = typeof f.lineno === "number" ? `${file}:${f.lineno}` : file;
      if (str(f.function)) fields.function = f.function as string;
    }
  } else {
    message = messageOf(e) ?? "<no message>";
  }
  if (str(e.event_id)) fields.event_id = e.event_id as string;
  for (const k of ["release", "environment"]) if (str(e[k])) fields[k] = e[k] as string;
  return { time, type: "event", level: str(e.level) ?? "error", message, fields };
}

function durationMs(start: unknown, end: unknown): number | undefined {
  if (typeof start !== "number" || typeof end !== "number") return undefined;
  return Math.round((end - start) * 1000 * 10) / 10;
}

function transactionRow(t: Obj, time: number): TailRow {
  const trace = obj(obj(t.contexts).trace);
  const fields: Record<string, string | number> = {};
  const d = durationMs(t.start_timestamp, t.timestamp);
  if (d !== undefined) fields.duration_ms = d;
  if (Array.isArray(t.spans)) fields.spans = t.spans.length;
  if (str(trace.op)) fields.op = trace.op as string;
  if (str(trace.status)) fields.status = trace.status as string;
  if (str(trace.trace_id)) fields.trace_id = trace.trace_id as string;
  return {
    time,
    type: "transaction",
    level: "info",
    message: str(t.transaction) ?? "<unnamed transaction>",
    fields,
  };
}

function spanRow(s: Obj, time: number): TailRow {
  const fields: Record<string, string | number> = {};
  const d = durationMs(s.start_timestamp, s.end_timestamp ?? s.timestamp);
  if (d !== undefined) fields.duration_ms = d;
  if (str(s.op)) fields.op = s.op as string;
  if (str(s.status)) fields.status = s.status as string;
  if (str(s.trace_id)) fields.trace_id = s.trace_id as string;
  return {
    time,
    type: "span",
    level: "info",
    message: str(s.name) ?? str(s.description) ?? "<unnamed span>",
    fields,
  };
}

function logRows(payload: Obj, fallback: number): TailRow[] {
  const records = Array.isArray(payload.items) ? payload.items.map(obj) : [payload];
  return records.map((r) => {
    const fields: Record<string, string | number> = {};
    for (const [k, a] of Object.entries(obj(r.attributes))) {
      if (k.startsWith("sentry.")) continue;
      const v = obj(a).value;
      if (typeof v === "string" || typeof v === "number") fields[k] = v;
      else if (typeof v === "boolean") fields[k] = String(v);
    }
    if (str(r.trace_id)) fields.trace_id = r.trace_id as string;
    return {
      time: timeOf(r.timestamp, fallback),
      type: "log",
      level: str(r.level) ?? "info",
      message: typeof r.body === "string" ? r.body : JSON.stringify(r.body ?? ""),
      fields,
    };
  });
}

/** The rows of one envelope for the chosen kinds, oldest item first. */
export function envelopeRows(
  envelope: unknown,
  kinds: ReadonlySet<TailKind>,
  now: number,
): TailRow[] {
  if (!Array.isArray(envelope)) return [];
  const header = obj(envelope[0]);
  const items = Array.isArray(envelope[1]) ? envelope[1] : [];
  const sent = timeOf(header.sent_at, now);
  const rows: TailRow[] = [];
  for (const item of items) {
    if (!Array.isArray(item)) continue;
    const ih = obj(item[0]);
    const type = str(ih.type) ?? "unknown";
    const kind = KIND_OF_TYPE[type];
    if (!kinds.has("all") && (!kind || !kinds.has(kind))) continue;
    const p = obj(item[1]);
    const time = timeOf(p.timestamp, sent);
    if (type === "event") rows.push(errorRow(p, time));
    else if (type === "transaction") rows.push(transactionRow(p, time));
    else if (type === "span") rows.push(spanRow(p, time));
    else if (type === "log") rows.push(...logRows(p, sent));
    else if (type === "attachment") {
      const fields: Record<string, string | number> = {};
      if (typeof ih.length === "number") fields.bytes = ih.length;
      if (str(ih.content_type)) fields.content_type = ih.content_type as string;
      rows.push({ time, type, level: "info", message: str(ih.filename) ?? "<attachment>", fields });
    } else {
      rows.push({ time, type, level: "info", message: type, fields: summaryFields(type, p) });
    }
  }
  return rows;
}

function summaryFields(type: string, p: Obj): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  if (type === "session") {
    for (const k of ["status", "sid", "errors"]) {
      const v = p[k];
      if (typeof v === "string" || typeof v === "number") out[k] = v;
    }
  }
  return out;
}

/** One line per control character class: a row never breaks the one-line-per-item rule. */
function flat(text: string): string {
  // deno-lint-ignore no-control-regex
  return text.replace(/\r\n|[\r\n\u2028\u2029]/g, "⏎").replace(/[\x00-\x08\x0b-\x1f\x7f]/g, "");
}

function logfmtValue(v: string | number): string {
  if (typeof v === "number") return String(v);
  const s = flat(v);
  return s !== "" && !/[\s"=\\]/.test(s) ? s : JSON.stringify(s);
}

function clock(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${
    p(d.getMilliseconds(), 3)
  }`;
}

function mdCode(text: string): string {
  const t = flat(text);
  const fence = t.includes("`") ? "``" : "`";
  return `${fence}${fence === "``" ? " " : ""}${t}${fence === "``" ? " " : ""}${fence}`;
}

export function formatRow(row: TailRow, format: TailFormat): string {
  const fields = Object.entries(row.fields);
  switch (format) {
    case "json":
      return JSON.stringify({
        time: new Date(row.time).toISOString(),
        type: row.type,
        level: row.level,
        message: row.message,
        ...row.fields,
      });
    case "logfmt":
      return [
        ["time", new Date(row.time).toISOString()],
        ["type", row.type],
        ["level", row.level],
        ["msg", row.message],
        ...fields,
      ].map(([k, v]) => `${k}=${logfmtValue(v as string | number)}`).join(" ");
    case "md": {
      const extra = fields.map(([k, v]) => `${k} ${mdCode(String(v))}`).join(", ");
      return `- **${row.type}** ${mdCode(row.message)} (${row.level}, ${
        new Date(row.time).toISOString()
      })${extra ? `: ${extra}` : ""}`;
    }
    default: {
      const extra = fields.map(([k, v]) => `${k}=${flat(String(v))}`).join(" ");
      return `${clock(row.time)} ${row.type.padEnd(11)} ${row.level.padEnd(7)} ${
        flat(row.message)
      }${extra ? `  ${extra}` : ""}`;
    }
  }
}
