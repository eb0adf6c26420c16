// The page of any stored item (`/events/<id>/`): an error or message with its exceptions,
// breadcrumbs, tags, contexts, request, user, attachments and "copy as Markdown"; a
// transaction or span with its spans' waterfall; a log record with its message and attributes;
// an attachment with download and an inline view of images and text; sessions, client reports,
// profiles and feedback by what they are (kind-bodies.ts); the rest as JSON.

import type { StatusInfo } from "../deps.ts";
import type { StoredItem } from "../item-types.ts";
import { errorMarkdown } from "../markdown.ts";
import type { SpanRow } from "../traces.ts";
import { isRecord, rec, text } from "../values.ts";
import { ansiToHtml } from "./ansi.ts";
import { formatValue } from "./charts.ts";
import { esc, isSecretKey } from "./escape.ts";
import { exceptionsHtml } from "./exceptions.ts";
import { clientReportBody, feedbackPanel, profileBody, sessionBody } from "./kind-bodies.ts";
import { kvTable, layout, when } from "./layout.ts";
import { breadcrumbsPanel, contextsPanel, requestPanel, tagsPanel, userPanel } from "./panels.ts";
import { waterfall } from "./traces.ts";

/** Image types shown inline; others (SVG included, which can carry script) only download. */
export const INLINE_IMAGES = new Set(["image/png", "image/jpeg", "image/gif", "image/webp"]);
const TEXT_PREVIEW_BYTES = 256 * 1024;

export interface ItemPageContext {
  /** Other items of the same envelope. */
  siblings: StoredItem[];
  /** The trace's spans, for transactions and spans. */
  spans: SpanRow[];
}

function payloadJson(value: unknown): string {
  let out: string;
  try {
    out = JSON.stringify(value, (k, v) => (k && isSecretKey(k) ? "[Filtered]" : v), 2) ?? "";
  } catch {
    out = text(value);
  }
  return `<details class="payload"><summary>Payload (JSON as sent)</summary>` +
    `<pre class="json">${esc(out)}</pre></details>`;
}

function meta(it: StoredItem): string {
  const parts = [
    `${esc(it.kind)} <code>${it.id}</code>`,
    `project ${esc(it.project_id)}`,
    `received ${when(it.received)}`,
  ];
  if (it.level) {
    parts.push(
      `level <span class="level level-${esc(it.level.replace(/[^a-z]/gi, ""))}">${
        esc(it.level)
      }</span>`,
    );
  }
  if (it.platform) parts.push(`platform ${esc(it.platform)}`);
  if (it.release) parts.push(`release ${esc(it.release)}`);
  if (it.environment) parts.push(`environment ${esc(it.environment)}`);
  if (it.trace_id) {
    parts.push(
      `trace <a href="/traces/${encodeURIComponent(it.trace_id)}/">${esc(it.trace_id)}</a>`,
    );
  }
  return `<p class="muted item-meta">${parts.join(" · ")}</p>`;
}

function attachmentsList(siblings: StoredItem[]): string {
  const files = siblings.filter((s) => s.kind === "attachment");
  if (files.length === 0) return "";
  return `<section class="panel" id="attachments"><h3>Attachments</h3><ul>${
    files.map((f) =>
      `<li><a href="/events/${f.id}/">${esc(f.filename ?? "attachment")}</a> · ${
        esc(f.content_type ?? "")
      } · ${
        formatValue(f.size, "bytes")
      } · <a href="/api/0/events/${f.id}/attachment/" download>download</a></li>`
    ).join("")
  }</ul></section>`;
}

function errorBody(it: StoredItem, ctx: ItemPageContext): string {
  const e = rec(it.payload);
  const md = errorMarkdown(it);
  return (it.kind === "feedback" ? feedbackPanel(it.payload) : "") +
    `<div class="actions"><button type="button" class="copy-md" data-target="md-${it.id}">` +
    `Copy as Markdown</button></div>` +
    `<textarea class="markdown" id="md-${it.id}" readonly aria-label="Markdown">${
      esc(md)
    }</textarea>` +
    exceptionsHtml(e) +
    breadcrumbsPanel(e) + tagsPanel(e) + contextsPanel(e) + requestPanel(e) + userPanel(e) +
    attachmentsList(ctx.siblings);
}

function logBody(it: StoredItem): string {
  const p = rec(it.payload);
  const attrs = Object.entries(rec(p.attributes)).map(([k, v]) =>
    [k, `<code>${esc(text(isRecord(v) && "value" in v ? v.value : v))}</code>`] as [
      string,
      string,
    ]
  );
  return `<pre class="log-message">${ansiToHtml(text(p.body ?? p.message))}</pre>` +
    `<h3>Attributes</h3>${kvTable(attrs)}`;
}

function attachmentBody(it: StoredItem): string {
  const url = `/api/0/events/${it.id}/attachment/`;
  let view = "";
  const type = (it.content_type ?? "").toLowerCase().split(";")[0]!.trim();
  if (INLINE_IMAGES.has(type)) {
    view = `<img class="attachment-image" src="${url}" alt="${esc(it.filename ?? "")}">`;
  } else if (it.bytes && isText(type, it.bytes)) {
    const shown = it.bytes.subarray(0, TEXT_PREVIEW_BYTES);
    view = `<pre class="attachment-text">${esc(new TextDecoder().decode(shown))}</pre>` +
      (it.bytes.length > shown.length ? `<p class="muted">First 256 KiB shown.</p>` : "");
  } else view = `<p class="muted">Binary content; download to view.</p>`;
  return `<p><a class="download" href="${url}" download>Download ${
    esc(it.filename ?? "attachment")
  }</a> · ${esc(it.content_type ?? "")} · ${formatValue(it.size, "bytes")}</p>${view}`;
}

function isText(type: string, bytes: Uint8Array): boolean {
  if (type.startsWith("text/") || type === "application/json") return true;
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, 4096));
    return !bytes.subarray(0, 4096).includes(0);
  } catch {
    return false;
  }
}

function spanBody(it: StoredItem, ctx: ItemPageContext): string {
  const p = rec(it.payload);
  const mine = ctx.spans.filter((s) => s.itemId === it.id || s.span_id === it.span_id);
  const rows: [string, string][] = [
    ["op", esc(it.op ?? "")],
    ["status", esc(it.status ?? "")],
    ["span id", esc(it.span_id ?? "")],
    ["parent span id", esc(it.parent_span_id ?? "")],
  ];
  const attrs = Object.entries(rec(p.attributes ?? p.data)).map(([k, v]) =>
    [k, `<code>${esc(text(isRecord(v) && "value" in v ? v.value : v))}</code>`] as [
      string,
      string,
    ]
  );
  const children = it.kind === "transaction"
    ? ctx.spans.filter((s) => s.itemId === it.id)
    : descendants(ctx.spans, it.span_id);
  return kvTable(rows) +
    `<h3>${it.kind === "transaction" ? "Spans" : "This span and its children"}</h3>` +
    waterfall(children.length > 0 ? children : mine) +
    (attrs.length > 0 ? `<h3>Attributes</h3>${kvTable(attrs)}` : "");
}

/** A span and everything under it, in the waterfall's order. */
function descendants(spans: SpanRow[], spanId: string | undefined): SpanRow[] {
  const at = spans.findIndex((s) => s.span_id === spanId);
  if (at === -1) return [];
  const depth = spans[at]!.depth;
  let end = at + 1;
  while (end < spans.length && spans[end]!.depth > depth) end++;
  return spans.slice(at, end);
}

export function itemPage(info: StatusInfo, it: StoredItem, ctx: ItemPageContext): string {
  let body: string;
  if (it.kind === "error" || it.kind === "message" || it.kind === "feedback") {
    body = errorBody(it, ctx);
  } else if (it.kind === "transaction" || it.kind === "span") body = spanBody(it, ctx);
  else if (it.kind === "log") body = logBody(it);
  else if (it.kind === "attachment") body = attachmentBody(it);
  else if (it.kind === "session") body = sessionBody(it.payload);
  else if (it.kind === "client_report") body = clientReportBody(it.payload);
  else if (it.kind === "profile") body = profileBody(it.payload);
  else body = "";
  const clear = `<button type="button" class="clear-all">Clear all items</button>`;
  return layout(
    it.title || it.kind,
    info,
    `<div class="view-head"><h2>${esc(it.title || "(empty)")}</h2>${clear}</div>${
      meta(it)
    }${body}` +
      `<h3>Envelope</h3><ul class="siblings">${
        [it, ...ctx.siblings].map((s) =>
          `<li>${
            s === it ? "<strong>this</strong>" : `<a href="/events/${s.id}/">${esc(s.kind)}</a>`
          } · ${esc(s.type)} · ${formatValue(s.size, "bytes")}${
            s.filename ? ` · ${esc(s.filename)}` : ""
          }</li>`
        ).join("")
      }</ul>` +
      payloadJson(it.payload),
  );
}
