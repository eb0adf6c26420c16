// The list views (SPEC §7a): errors, logs, attachments and every item, each with its filter
// form (plain GET, so it works without the script) and a live-updated table body: the rows
// functions are what the live stream sends when new items arrive.

import type { StatusInfo } from "../deps.ts";
import { filterQuery, type Filters, type View } from "../filters.ts";
import type { StoredItem } from "../item-types.ts";
import { formatValue } from "./charts.ts";
import { ansiToHtml } from "./ansi.ts";
import { esc } from "./escape.ts";
import { layout, when } from "./layout.ts";
import { rowsStamp } from "./stamp.ts";
import { isRecord, rec, text } from "../values.ts";

const TITLES: Record<View, string> = {
  errors: "Errors",
  logs: "Logs",
  attachments: "Attachments",
  all: "All items",
};

const PATHS: Record<View, string> = {
  errors: "/errors/",
  logs: "/logs/",
  attachments: "/attachments/",
  all: "/events/",
};

const SELECTS: Record<View, (keyof Filters)[]> = {
  errors: ["level", "type", "release", "environment", "project"],
  logs: ["level", "release", "environment", "project"],
  attachments: ["project"],
  all: ["kind", "level", "project"],
};

const HEADS: Record<View, string[]> = {
  errors: ["Error", "Level", "Type", "Release", "Environment", "Project", "Time"],
  logs: ["Time", "Level", "Message", "Attributes", "Trace"],
  attachments: ["File", "Content type", "Size", "Event", "Time"],
  all: ["Item", "Kind", "Level", "Project", "Time"],
};

function link(it: StoredItem, label = it.title): string {
  return `<a href="/events/${it.id}/">${esc(label || "(empty)")}</a>`;
}

function level(l: string | undefined): string {
  return l ? `<span class="level level-${esc(l.replace(/[^a-z]/gi, ""))}">${esc(l)}</span>` : "";
}

/** A log record's attributes other than the SDK's own `sentry.*` ones, as `key=value`. */
export function logAttributes(it: StoredItem): [string, string][] {
  return Object.entries(rec(rec(it.payload).attributes))
    .filter(([k]) => !k.startsWith("sentry."))
    .map(([k, v]) => [k, text(isRecord(v) && "value" in v ? v.value : v, 500)]);
}

function row(view: View, it: StoredItem, attachmentsOf?: (it: StoredItem) => string): string {
  const cls = `item kind-${esc(it.kind)}${it.level ? ` level-row-${esc(it.level)}` : ""}`;
  const cells: string[] = [];
  if (view === "errors") {
    cells.push(
      link(it),
      level(it.level),
      esc(it.errorType ?? ""),
      esc(it.release ?? ""),
      esc(it.environment ?? ""),
      esc(it.project_id),
      when(it.timestamp),
    );
  } else if (view === "logs") {
    const body = text(rec(it.payload).body ?? rec(it.payload).message);
    cells.push(
      `<a href="/events/${it.id}/">${when(it.timestamp)}</a>`,
      level(it.level),
      `<span class="log-body">${ansiToHtml(body)}</span>`,
      logAttributes(it).map(([k, v]) => `<code>${esc(k)}=${esc(v)}</code>`).join(" "),
      it.trace_id
        ? `<a href="/traces/${encodeURIComponent(it.trace_id)}/">${
          esc(it.trace_id.slice(0, 8))
        }</a>`
        : "",
    );
  } else if (view === "attachments") {
    cells.push(
      link(it, it.filename ?? "attachment"),
      esc(it.content_type ?? ""),
      formatValue(it.size, "bytes"),
      attachmentsOf ? attachmentsOf(it) : "",
      when(it.received),
    );
  } else {
    cells.push(link(it), esc(it.kind), level(it.level), esc(it.project_id), when(it.timestamp));
  }
  return `<tr class="${cls}" data-id="${it.id}" data-kind="${esc(it.kind)}"${
    it.level ? ` data-level="${esc(it.level)}"` : ""
  }>${cells.map((c) => `<td>${c}</td>`).join("")}</tr>`;
}

export function viewRows(
  view: View,
  items: StoredItem[],
  eventOf?: (it: StoredItem) => string,
): string {
  if (items.length === 0) {
    return `<tr class="empty"><td colspan="${HEADS[view].length}" class="muted">Nothing ${
      view === "all" ? "received" : "matches"
    } yet.</td></tr>`;
  }
  return items.map((it) => row(view, it, eventOf)).join("");
}

function select(key: string, current: string | undefined, options: string[]): string {
  const opts = [
    `<option value="">any ${esc(key)}</option>`,
    ...options.map((o) =>
      `<option value="${esc(o)}"${o === current ? " selected" : ""}>${esc(o)}</option>`
    ),
  ];
  return `<label>${esc(key)} <select name="${esc(key)}">${opts.join("")}</select></label>`;
}

export function viewPage(opts: {
  view: View;
  info: StatusInfo;
  rows: string;
  filters: Filters;
  facets: Record<string, string[]>;
  shown: number;
}): string {
  const { view, filters } = opts;
  const selects = SELECTS[view].map((k) => select(k, filters[k], opts.facets[k] ?? [])).join("");
  const form = `<form class="filters" method="get" action="${PATHS[view]}">${selects}` +
    `<label>text <input type="search" name="q" value="${esc(filters.q ?? "")}"></label>` +
    (view === "logs"
      ? `<label>trace <input type="text" name="trace" value="${esc(filters.trace ?? "")}"></label>`
      : "") +
    `<button type="submit">Filter</button> <a href="${PATHS[view]}">reset</a></form>`;
  const query = filterQuery(filters);
  const body = `<div class="view-head"><h2>${TITLES[view]}</h2>` +
    `<button type="button" class="clear-all">Clear all items</button></div>${form}` +
    `<p class="muted" id="shown">${opts.shown} shown (newest first).</p>` +
    `<table class="items view-${view}"><thead><tr>${
      HEADS[view].map((h) => `<th>${h}</th>`).join("")
    }</tr></thead><tbody id="live-rows">${opts.rows}</tbody></table>`;
  return layout(TITLES[view], opts.info, body, {
    live: `/api/0/live/?view=${view}${query ? `&${query}` : ""}&seen=${rowsStamp(opts.rows)}`,
    active: PATHS[view],
  });
}
