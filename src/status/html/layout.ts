// The page frame every status page shares: head (same-origin stylesheet and script only, so
// the CSP can forbid inline code), the header with the navigation, and `when` for times
// (UTC in the markup; the script shows them relative with the local time as a tooltip).

import type { StatusInfo } from "../deps.ts";
import { esc } from "./escape.ts";

const NAV: [string, string][] = [
  ["/", "Dashboard"],
  ["/errors/", "Errors"],
  ["/traces/", "Traces"],
  ["/logs/", "Logs"],
  ["/attachments/", "Attachments"],
  ["/events/", "All items"],
];

export function layout(
  title: string,
  info: StatusInfo,
  body: string,
  opts: { live?: string; active?: string } = {},
): string {
  const nav = NAV.map(([href, label]) =>
    `<a href="${href}"${opts.active === href ? ' class="active" aria-current="page"' : ""}>${
      esc(label)
    }</a>`
  ).join("");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<title>${esc(title)} · sentryctl</title><link rel="icon" href="data:,">` +
    `<link rel="stylesheet" href="/static/app.css"></head>` +
    `<body${opts.live ? ` data-live="${esc(opts.live)}"` : ""}><header><a href="/">sentryctl</a>` +
    `<nav>${nav}</nav>` +
    `<span class="meta">project ${esc(info.project)} · v${esc(info.version)} · Docker ${
      esc(info.docker.version ?? "unknown")
    } at ${esc(info.docker.endpoint)}</span></header><main>${body}</main>` +
    `<script src="/static/app.js" defer></script></body></html>`;
}

/** A point in time: ISO UTC in the markup, relative and local time added by the script. */
export function when(ms: number): string {
  const d = new Date(Number.isFinite(ms) ? ms : 0);
  const iso = Number.isNaN(d.getTime()) ? new Date(0).toISOString() : d.toISOString();
  return `<time class="ago" datetime="${iso}" title="${iso}">${iso}</time>`;
}

/** A two-column table of key/value rows (values already rendered as HTML). */
export function kvTable(rows: [string, string][], cls = "kv"): string {
  if (rows.length === 0) return `<p class="muted">None.</p>`;
  return `<table class="${cls}"><tbody>${
    rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${v}</td></tr>`).join("")
  }</tbody></table>`;
}

/** A duration in seconds as ms or s. */
export function duration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return "—";
  const ms = seconds * 1000;
  return ms < 1000 ? `${ms.toFixed(ms < 10 ? 2 : 1)} ms` : `${(ms / 1000).toFixed(2)} s`;
}
