// Traces: the list (newest first) and a trace's span waterfall — each span's op, description,
// status and duration, a bar placed on the trace's time axis (SVG, so no inline style is
// needed under the CSP), N+1 repeats and the slowest spans marked.

import type { StatusInfo } from "../deps.ts";
import type { StoredItem } from "../item-types.ts";
import type { SpanRow, TraceSummary } from "../traces.ts";
import { esc } from "./escape.ts";
import { duration, layout, when } from "./layout.ts";
import { rowsStamp } from "./stamp.ts";

export function traceRows(traces: TraceSummary[]): string {
  if (traces.length === 0) {
    return `<tr class="empty"><td colspan="6" class="muted">No traces received yet.</td></tr>`;
  }
  return traces.map((t) =>
    `<tr class="trace" data-trace="${esc(t.trace_id)}"><td><a href="/traces/${
      encodeURIComponent(t.trace_id)
    }/">${esc(t.name)}</a></td><td>${duration(t.duration)}</td><td>${t.spans}</td>` +
    `<td>${t.errors}</td><td>${esc(t.status ?? "")}</td><td>${when(t.start * 1000)}</td></tr>`
  ).join("");
}

export function tracesPage(info: StatusInfo, rows: string, count: number): string {
  const body = `<div class="view-head"><h2>Traces</h2>` +
    `<button type="button" class="clear-all">Clear all items</button></div>` +
    `<p class="muted">${count} traces (newest first).</p>` +
    `<table class="items traces"><thead><tr><th>Trace</th><th>Duration</th><th>Spans</th>` +
    `<th>Errors</th><th>Status</th><th>Started</th></tr></thead>` +
    `<tbody id="live-rows">${rows}</tbody></table>`;
  return layout("Traces", info, body, {
    live: `/api/0/live/?view=traces&seen=${rowsStamp(rows)}`,
    active: "/traces/",
  });
}

const MARK_LABEL: Record<string, string> = { "n+1": "N+1", slowest: "slowest", slow: "slow" };

/** The waterfall of a trace's spans (tree order, as traceSpans returns them). */
export function waterfall(spans: SpanRow[]): string {
  if (spans.length === 0) return `<p class="muted">No spans.</p>`;
  const start = Math.min(...spans.map((s) => s.start));
  const total = Math.max(Math.max(...spans.map((s) => s.end)) - start, 1e-6);
  const rows = spans.map((s) => {
    const x = ((s.start - start) / total) * 1000;
    const w = Math.max(((s.end - s.start) / total) * 1000, 2);
    const marks = s.marks.map((m) =>
      `<span class="mark mark-${m === "n+1" ? "n1" : m}">${MARK_LABEL[m]}</span>`
    ).join("");
    const cls = ["span", ...s.marks.map((m) => (m === "n+1" ? "n-plus-one" : m))].join(" ");
    const desc = s.itemId
      ? `<a href="/events/${s.itemId}/">${esc(s.description || "(no description)")}</a>`
      : esc(s.description || "(no description)");
    return `<tr class="${cls}" data-span="${esc(s.span_id)}" data-depth="${s.depth}">` +
      `<td class="span-label"><span class="indent">${"· ".repeat(s.depth)}</span>` +
      `<span class="op">${esc(s.op || "—")}</span> ${desc} ${marks}</td>` +
      `<td class="span-status">${esc(s.status ?? "")}</td>` +
      `<td class="span-duration">${duration(s.end - s.start)}</td>` +
      `<td class="span-bar"><svg viewBox="0 0 1000 12" preserveAspectRatio="none" ` +
      `role="img" aria-label="${esc(duration(s.end - s.start))}"><rect class="bar${
        s.marks.length ? " bar-marked" : ""
      }" x="${x.toFixed(1)}" y="1" width="${w.toFixed(1)}" height="10"/></svg></td></tr>`;
  }).join("");
  return `<table class="waterfall"><thead><tr><th>Span</th><th>Status</th><th>Duration</th>` +
    `<th>Timeline (${duration(total)})</th></tr></thead><tbody>${rows}</tbody></table>`;
}

export function tracePage(
  info: StatusInfo,
  traceId: string,
  spans: SpanRow[],
  related: StoredItem[],
): string {
  const others = related.filter((i) => i.kind !== "span" && i.kind !== "transaction");
  const n1 = spans.filter((s) => s.marks.includes("n+1")).length;
  const body = `<h2>Trace <code>${esc(traceId)}</code></h2>` +
    `<p class="muted">${spans.length} spans${n1 ? ` · ${n1} spans in N+1 patterns` : ""}</p>` +
    waterfall(spans) +
    (others.length > 0
      ? `<h3>Errors and logs in this trace</h3><ul class="related">${
        others.map((i) =>
          `<li><span class="kind">${esc(i.kind)}</span> <a href="/events/${i.id}/">${
            esc(i.title || "(empty)")
          }</a> ${when(i.timestamp)}</li>`
        ).join("")
      }</ul>`
      : "");
  return layout(`Trace ${traceId}`, info, body, { active: "/traces/" });
}
