// The server-rendered pages: the dashboard (services with CPU/memory charts and start/stop,
// the event inbox with an events-per-minute chart) and an event's page with its exceptions
// and frames. The live fragments (services rows, inbox rows, rate chart) are separate
// functions because the SSE stream sends exactly these fragments as updates.

import type { ServiceStatus, StatsSample, StatusInfo } from "../deps.ts";
import type { EventRecord } from "../event-store.ts";
import { bars, formatValue, sparkline } from "./charts.ts";
import { esc, isSecretKey } from "./escape.ts";
import { renderFrame, type WireFrame } from "./frame.ts";

function layout(title: string, info: StatusInfo, body: string, live?: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<title>${esc(title)} · sentryctl</title><link rel="icon" href="data:,">` +
    `<link rel="stylesheet" href="/static/app.css"></head>` +
    `<body${live ? ` data-live="${esc(live)}"` : ""}><header><a href="/">sentryctl</a>` +
    `<span class="meta">project ${esc(info.project)} · v${esc(info.version)} · Docker ${
      esc(info.docker.version ?? "unknown")
    } at ${esc(info.docker.endpoint)}</span></header><main>${body}</main>` +
    `<script src="/static/app.js" defer></script></body></html>`;
}

function latest(samples: StatsSample[], show: (s: StatsSample) => string): string {
  const last = samples[samples.length - 1];
  return last ? ` <span class="chart-value">${esc(show(last))}</span>` : "";
}

export function servicesRows(
  services: ServiceStatus[],
  history: (name: string) => StatsSample[],
): string {
  if (services.length === 0) {
    return `<tr><td colspan="7" class="muted">No services of this project.</td></tr>`;
  }
  return services.map((s) => {
    const samples = history(s.service);
    const ports = s.ports.map((p) => `${p.hostIp}:${p.hostPort}→${p.container}`).join(", ");
    const running = s.state === "running";
    return `<tr data-name="${esc(s.service)}" data-state="${esc(s.state)}">` +
      `<td><a href="/services/${encodeURIComponent(s.service)}/logs/">${esc(s.service)}</a></td>` +
      `<td class="state state-${esc(s.state)}">${esc(s.state)}</td>` +
      `<td class="health health-${esc(s.health)}">${
        esc(s.health === "none" ? "—" : s.health)
      }</td>` +
      `<td>${esc(ports || "—")}</td>` +
      `<td>${sparkline(samples.map((x) => x.cpu_percent), { label: "CPU", unit: "%" })}${
        latest(samples, (x) => formatValue(x.cpu_percent, "%"))
      }</td>` +
      `<td>${sparkline(samples.map((x) => x.memory_bytes), { label: "Memory", unit: "bytes" })}${
        latest(samples, (x) => formatValue(x.memory_bytes, "bytes"))
      }</td>` +
      `<td><button type="button" data-service="${esc(s.service)}" data-state="${
        running ? "stopped" : "running"
      }">${running ? "Stop" : "Start"}</button></td></tr>`;
  }).join("");
}

export function eventTitle(r: EventRecord): string {
  const e = r.event;
  if (!e) return `${r.kind} (${r.items.map((i) => i.type).join(", ")})`;
  const ex = firstException(e);
  if (ex) return `${ex.type ?? "Error"}: ${ex.value ?? ""}`;
  if (typeof e.message === "string") return e.message;
  const m = e.message as { formatted?: string; message?: string } | undefined;
  if (m && typeof m === "object") return m.formatted ?? m.message ?? r.kind;
  if (typeof e.transaction === "string") return e.transaction;
  return r.kind;
}

export function inboxRows(records: EventRecord[]): string {
  if (records.length === 0) {
    return `<tr><td colspan="4" class="muted">No events received yet.</td></tr>`;
  }
  return records.map((r) =>
    `<tr><td><a href="/events/${r.id}/">${esc(eventTitle(r))}</a></td>` +
    `<td>${esc(r.kind)}</td><td>${esc(r.project_id)}</td>` +
    `<td>${new Date(r.received).toISOString()}</td></tr>`
  ).join("");
}

export function rateChart(perMinute: number[]): string {
  return bars(perMinute, { label: "Events per minute" });
}

export function dashboardPage(opts: {
  info: StatusInfo;
  services: string;
  inbox: string;
  rate: string;
  dsn: string;
}): string {
  const body = `<h2>Services</h2><table class="services"><thead><tr><th>Service</th>` +
    `<th>State</th><th>Health</th><th>Ports</th><th>CPU</th><th>Memory</th><th></th></tr>` +
    `</thead><tbody id="live-services">${opts.services}</tbody></table>` +
    `<h2>Events</h2><p class="muted">DSN: <code>${esc(opts.dsn)}</code></p>` +
    `<div id="live-rate">${opts.rate}</div>` +
    `<table class="events"><thead><tr><th>Event</th><th>Kind</th><th>Project</th>` +
    `<th>Received</th></tr></thead><tbody id="live-events">${opts.inbox}</tbody></table>`;
  return layout("Dashboard", opts.info, body, "/api/0/live/");
}

interface WireException {
  type?: string;
  value?: string;
  module?: string;
  stacktrace?: { frames?: WireFrame[]; registers?: Record<string, unknown> };
}

function exceptions(e: Record<string, unknown>): WireException[] {
  const ex = e.exception as { values?: WireException[] } | WireException[] | undefined;
  const values = Array.isArray(ex) ? ex : ex?.values;
  return Array.isArray(values) ? values.filter((v) => v && typeof v === "object") : [];
}

function firstException(e: Record<string, unknown>): WireException | undefined {
  const all = exceptions(e);
  return all[all.length - 1];
}

function arch(e: Record<string, unknown>): string | undefined {
  const device = (e.contexts as { device?: { arch?: unknown } } | undefined)?.device;
  return typeof device?.arch === "string" ? device.arch : undefined;
}

function renderException(ex: WireException, a: string | undefined, n: number): string {
  const frames = Array.isArray(ex.stacktrace?.frames) ? ex.stacktrace!.frames! : [];
  // Newest call first, as Sentry shows by default; the newest in-app frame starts expanded.
  const ordered = [...frames].reverse();
  const open = ordered.findIndex((f) => f?.in_app);
  const expandAt = open === -1 ? 0 : open;
  const items = ordered.map((f, i) =>
    renderFrame(f ?? {}, {
      expanded: i === expandAt,
      // Registers belong to the crashing (newest) frame.
      registers: i === 0 ? ex.stacktrace?.registers : undefined,
      arch: a,
    }, n * 1000 + i)
  );
  return `<section class="exception"><h3>${esc(ex.type ?? "Error")}</h3>` +
    `<p>${esc(ex.value ?? "")}</p>` +
    (items.length > 0
      ? `<ol class="frames">${items.join("")}</ol>`
      : `<p class="muted">No stack trace.</p>`) +
    `</section>`;
}

function redacted(value: unknown): string {
  return JSON.stringify(value, (k, v) => (k && isSecretKey(k) ? "[Filtered]" : v), 2);
}

export function eventPage(info: StatusInfo, r: EventRecord): string {
  const e = r.event ?? {};
  const a = arch(e);
  const exs = exceptions(e);
  const body = `<h2>${esc(eventTitle(r))}</h2>` +
    `<p class="muted">Event <code>${r.id}</code> · ${esc(r.kind)} · project ${
      esc(r.project_id)
    } · received ${new Date(r.received).toISOString()}${
      typeof e.platform === "string" ? ` · platform ${esc(e.platform)}` : ""
    }${a ? ` · arch ${esc(a)}` : ""}</p>` +
    exs.map((ex, i) => renderException(ex, a, i)).reverse().join("") +
    `<h2>Items</h2><ul>${
      r.items.map((i) =>
        `<li>${esc(i.type)} · ${formatValue(i.size, "bytes")}${
          i.filename ? ` · ${esc(i.filename)}` : ""
        }</li>`
      ).join("")
    }</ul>` +
    `<h2>Payload</h2><pre class="json">${esc(redacted(r.event ?? null))}</pre>`;
  return layout(eventTitle(r), info, body);
}

/** A service's log, followed live (the script appends lines from the logs SSE stream). */
export function logsPage(info: StatusInfo, service: string): string {
  const stream = `/api/0/devservices/${encodeURIComponent(service)}/logs/`;
  return layout(
    `${service} logs`,
    info,
    `<h2>${esc(service)} logs</h2><p class="muted">Following; restarts are marked.</p>` +
      `<pre class="logs" id="logs" data-logs="${esc(stream)}"></pre>`,
  );
}

export function messagePage(info: StatusInfo, title: string, message: string): string {
  return layout(title, info, `<h2>${esc(title)}</h2><p>${esc(message)}</p>`);
}
