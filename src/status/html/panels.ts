// The panels of an event page besides the stack: breadcrumbs, tags, contexts, request and
// user, each tolerant of any JSON type where Sentry's schema expects a string or an object.

import { isRecord, list, num, optText, rec, text } from "../values.ts";
import { esc } from "./escape.ts";
import { kvTable, when } from "./layout.ts";

function section(id: string, title: string, body: string): string {
  return `<section class="panel" id="${id}"><h3>${esc(title)}</h3>${body}</section>`;
}

function value(v: unknown): string {
  return `<code>${esc(typeof v === "string" ? v : text(v))}</code>`;
}

export function breadcrumbsPanel(e: Record<string, unknown>): string {
  const crumbs = list(isRecord(e.breadcrumbs) ? e.breadcrumbs.values : e.breadcrumbs)
    .filter(isRecord);
  if (crumbs.length === 0) return "";
  const rows = crumbs.map((b) => {
    const ts = num(b.timestamp);
    const data = isRecord(b.data) && Object.keys(b.data).length > 0
      ? ` <code class="muted">${esc(text(b.data, 2000))}</code>`
      : "";
    return `<tr class="level-${esc(optText(b.level) ?? "info")}"><td>${
      ts !== undefined ? when(ts * 1000) : ""
    }</td><td>${esc(optText(b.type) ?? "default")}</td><td>${esc(optText(b.category) ?? "")}</td>` +
      `<td>${esc(optText(b.level) ?? "info")}</td><td>${esc(text(b.message))}${data}</td></tr>`;
  }).join("");
  return section(
    "breadcrumbs",
    "Breadcrumbs",
    `<table class="breadcrumbs"><thead><tr><th>Time</th><th>Type</th><th>Category</th>` +
      `<th>Level</th><th>Message</th></tr></thead><tbody>${rows}</tbody></table>`,
  );
}

/** Tags as SDKs send them: an object, or a list of `[key, value]` pairs. */
export function tagPairs(e: Record<string, unknown>): [string, string][] {
  if (Array.isArray(e.tags)) {
    return e.tags.filter((t) => Array.isArray(t)).map((t) => [text(t[0]), text(t[1])]);
  }
  return Object.entries(rec(e.tags)).map(([k, v]) => [k, text(v)]);
}

export function tagsPanel(e: Record<string, unknown>): string {
  const tags = tagPairs(e);
  if (tags.length === 0) return "";
  return section(
    "tags",
    "Tags",
    `<ul class="tags">${
      tags.map(([k, v]) => `<li><span class="tag-key">${esc(k)}</span> ${esc(v)}</li>`).join("")
    }</ul>`,
  );
}

export function contextsPanel(e: Record<string, unknown>): string {
  const contexts = Object.entries(rec(e.contexts));
  if (contexts.length === 0) return "";
  const blocks = contexts.map(([name, ctx]) =>
    `<div class="context-block"><h4>${esc(name)}</h4>${
      isRecord(ctx)
        ? kvTable(Object.entries(ctx).map(([k, v]) => [k, value(v)]))
        : `<p>${value(ctx)}</p>`
    }</div>`
  ).join("");
  return section("contexts", "Contexts", `<div class="contexts">${blocks}</div>`);
}

export function requestPanel(e: Record<string, unknown>): string {
  if (!isRecord(e.request)) return "";
  const r = e.request;
  const head = `<p><code>${esc(optText(r.method) ?? "GET")} ${esc(text(r.url))}</code></p>`;
  const rows: [string, string][] = [];
  if (r.query_string !== undefined) rows.push(["query", value(r.query_string)]);
  if (r.data !== undefined) rows.push(["data", value(r.data)]);
  for (const [k, v] of headerPairs(r.headers)) rows.push([`header ${k}`, value(v)]);
  if (r.cookies !== undefined) rows.push(["cookies", value(r.cookies)]);
  for (const [k, v] of Object.entries(rec(r.env))) rows.push([`env ${k}`, value(v)]);
  return section("request", "Request", head + kvTable(rows));
}

function headerPairs(headers: unknown): [string, unknown][] {
  if (Array.isArray(headers)) {
    return headers.filter((h) => Array.isArray(h)).map((h) => [text(h[0]), h[1]]);
  }
  return Object.entries(rec(headers));
}

export function userPanel(e: Record<string, unknown>): string {
  if (!isRecord(e.user) || Object.keys(e.user).length === 0) return "";
  return section(
    "user",
    "User",
    kvTable(Object.entries(e.user).map(([k, v]) => [k, value(v)])),
  );
}
