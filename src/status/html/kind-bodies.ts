// The item page's body for the kinds that are neither events, spans, logs nor attachments, each
// shown by what it is (SPEC §7a): a session's state and counts, a client report's discarded
// items by reason and category, a profile's summary and its busiest functions, a feedback's
// message and contact. Every field may be any JSON type: read through values.ts.

import { isRecord, list, num, optText, rec, text } from "../values.ts";
import { esc } from "./escape.ts";
import { duration, kvTable, when } from "./layout.ts";

function code(v: unknown): string {
  return `<code>${esc(text(v))}</code>`;
}

function section(id: string, title: string, body: string): string {
  return `<section class="panel" id="${id}"><h3>${esc(title)}</h3>${body}</section>`;
}

/** A time an SDK sent as an ISO string or as epoch seconds, as the page's `<time>`. */
function time(v: unknown): string {
  const ms = typeof v === "string" ? Date.parse(v) : (num(v) ?? NaN) * 1000;
  return Number.isFinite(ms) ? when(ms) : code(v);
}

function present(rows: [string, unknown, (v: unknown) => string][]): [string, string][] {
  return rows.filter(([, v]) => v !== undefined && v !== null).map(([k, v, f]) => [k, f(v)]);
}

/** A `session` update or a `sessions` aggregate. */
export function sessionBody(payload: unknown): string {
  const p = rec(payload);
  const attrs = rec(p.attrs);
  const common: [string, unknown, (v: unknown) => string][] = [
    ["release", attrs.release, code],
    ["environment", attrs.environment, code],
    ["user agent", attrs.user_agent, code],
  ];
  const aggregates = list(p.aggregates).filter(isRecord);
  if (aggregates.length > 0) {
    const keys = ["exited", "errored", "crashed", "abnormal"];
    const rows = aggregates.map((a) =>
      `<tr><td>${time(a.started)}</td>${
        keys.map((k) => `<td>${num(a[k]) ?? 0}</td>`).join("")
      }</tr>`
    ).join("");
    return section("session", "Sessions", kvTable(present(common))) +
      `<table class="items session-aggregates"><thead><tr><th>Started</th>${
        keys.map((k) => `<th>${k}</th>`).join("")
      }</tr></thead><tbody>${rows}</tbody></table>`;
  }
  return section(
    "session",
    "Session",
    kvTable(present([
      ["status", p.status, code],
      ["errors", p.errors, code],
      ["started", p.started, time],
      ["updated", p.timestamp, time],
      ["duration", num(p.duration), (v) => duration(v as number)],
      ["first update", p.init, code],
      ["session id", p.sid, code],
      ["user", p.did, code],
      ...common,
    ])),
  );
}

/** What an SDK discarded, by reason and category. */
export function clientReportBody(payload: unknown): string {
  const p = rec(payload);
  const rows = list(p.discarded_events).filter(isRecord).map((d) =>
    `<tr><td>${esc(text(d.reason))}</td><td>${esc(text(d.category))}</td>` +
    `<td class="quantity">${num(d.quantity) ?? 0}</td></tr>`
  ).join("");
  return section(
    "client-report",
    "Discarded",
    (p.timestamp !== undefined ? `<p class="muted">Reported ${time(p.timestamp)}</p>` : "") +
      (rows
        ? `<table class="items discarded"><thead><tr><th>Reason</th><th>Category</th>` +
          `<th>Quantity</th></tr></thead><tbody>${rows}</tbody></table>`
        : `<p class="muted">Nothing discarded.</p>`),
  );
}

/** A profile (sampled format) or a continuous-profiling chunk: summary and busiest functions. */
export function profileBody(payload: unknown): string {
  const p = rec(payload);
  const prof = rec(p.profile);
  const samples = list(prof.samples).filter(isRecord);
  const stacks = list(prof.stacks);
  const frames = list(prof.frames);
  const threads = Object.keys(rec(prof.thread_metadata));
  // Sampled profiles count nanoseconds from their start; chunks carry timestamps in seconds.
  const at = samples.map((s) => {
    const raw = s.elapsed_since_start_ns; // a number, or a string of digits from some SDKs
    const ns = typeof raw === "string" && /^\d+$/.test(raw) ? Number(raw) : num(raw);
    return ns !== undefined ? ns / 1e9 : num(s.timestamp);
  }).filter((t): t is number => t !== undefined && Number.isFinite(t));
  const span = at.length > 1 ? Math.max(...at) - Math.min(...at) : undefined;
  const tx = rec(list(p.transactions)[0] ?? p.transaction);
  const summary = kvTable(present([
    ["platform", p.platform, code],
    ["transaction", optText(tx.name), code],
    ["trace", optText(tx.trace_id), code],
    ["samples", samples.length, code],
    ["sampled for", span, (v) => duration(v as number)],
    ["threads", threads.length, code],
    ["frames", frames.length, code],
  ]));
  // Self samples per function: the leaf (first) frame of each sample's stack.
  const self = new Map<string, number>();
  for (const s of samples) {
    const leaf = num(list(stacks[num(s.stack_id) ?? -1])[0]);
    if (leaf === undefined) continue;
    const f = rec(frames[leaf]);
    const where = optText(f.filename) ?? optText(f.abs_path) ?? optText(f.module) ?? "";
    const name = `${optText(f.function) ?? "<anonymous>"}${where ? ` (${where})` : ""}`;
    self.set(name, (self.get(name) ?? 0) + 1);
  }
  const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 15);
  return section("profile", "Profile", summary) +
    (top.length > 0
      ? section(
        "profile-functions",
        "Busiest functions (self samples)",
        `<table class="items functions"><tbody>${
          top.map(([name, n]) =>
            `<tr><td><code>${esc(name)}</code></td><td class="quantity">${n}</td></tr>`
          ).join("")
        }</tbody></table>`,
      )
      : "");
}

/** User feedback: the new `feedback` event (contexts.feedback) or a legacy `user_report`. */
export function feedbackPanel(payload: unknown): string {
  const p = rec(payload);
  const fb = isRecord(rec(p.contexts).feedback) ? rec(rec(p.contexts).feedback) : p;
  // A legacy user report's own event_id names the event it is about.
  const linked = optText(fb.associated_event_id) ??
    (fb === p && p.comments !== undefined ? optText(p.event_id) : undefined);
  const message = fb.message ?? fb.comments;
  return section(
    "feedback",
    "Feedback",
    `<blockquote class="feedback-message">${esc(text(message))}</blockquote>` +
      kvTable(present([
        ["name", fb.name, code],
        ["email", fb.contact_email ?? fb.email, code],
        ["url", fb.url, code],
        ["source", fb.source, code],
        [
          "about event",
          linked,
          (v) => `<a href="/events/${encodeURIComponent(text(v))}/">${esc(text(v))}</a>`,
        ],
      ])),
  );
}
