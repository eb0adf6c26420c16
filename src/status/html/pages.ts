// The server-rendered pages: the dashboard (services with CPU/memory charts and start/stop,
// the inbox of every item with an items-per-minute chart), a service's log and messages. The
// live fragments (services rows, inbox rows, rate chart) are separate functions because the
// SSE stream sends exactly these fragments as updates.

import {
  DEFAULT_LOG_TAIL,
  type ServiceStatus,
  type StatusInfo,
  type UsageSample,
} from "../deps.ts";
import type { StoredItem } from "../item-types.ts";
import { bars, formatValue, sparkline } from "./charts.ts";
import { esc } from "./escape.ts";
import { layout, when } from "./layout.ts";
import { rowsStamp } from "./stamp.ts";

function latest(samples: UsageSample[], show: (s: UsageSample) => string): string {
  const last = samples[samples.length - 1];
  return last ? ` <span class="chart-value">${esc(show(last))}</span>` : "";
}

export function servicesRows(
  services: ServiceStatus[],
  history: (name: string) => UsageSample[],
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

export function inboxRows(items: StoredItem[]): string {
  if (items.length === 0) {
    return `<tr><td colspan="4" class="muted">No events received yet.</td></tr>`;
  }
  return items.map((it) =>
    `<tr><td><a href="/events/${it.id}/">${esc(it.title || "(empty)")}</a></td>` +
    `<td>${esc(it.kind)}</td><td>${esc(it.project_id)}</td><td>${when(it.received)}</td></tr>`
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
    // Outside the live-updated rows, so a refresh of the table does not wipe the message.
    `<p id="service-action" class="action-error" role="alert" hidden></p>` +
    `<h2>Events</h2><p class="muted">DSN: <code>${esc(opts.dsn)}</code></p>` +
    `<div id="live-rate">${opts.rate}</div>` +
    `<table class="events"><thead><tr><th>Event</th><th>Kind</th><th>Project</th>` +
    `<th>Received</th></tr></thead><tbody id="live-events">${opts.inbox}</tbody></table>`;
  return layout("Dashboard", opts.info, body, {
    live: `/api/0/live/?seen=${rowsStamp(opts.inbox)}`,
    active: "/",
  });
}

/** A service's log, followed live (the script appends lines from the logs SSE stream). */
export function logsPage(info: StatusInfo, service: string): string {
  const stream = `/api/0/devservices/${encodeURIComponent(service)}/logs/`;
  return layout(
    `${service} logs`,
    info,
    `<h2>${esc(service)} logs</h2><p class="muted">Following; restarts are marked. The ` +
      `page starts with the last ${DEFAULT_LOG_TAIL} lines and keeps 2000; ` +
      `<code>sentryctl logs ${esc(service)}</code> has them all.</p>` +
      `<p class="muted" id="logs-dropped"></p>` +
      `<pre class="logs" id="logs" data-logs="${esc(stream)}"></pre>`,
  );
}

export function messagePage(info: StatusInfo, title: string, message: string): string {
  return layout(title, info, `<h2>${esc(title)}</h2><p>${esc(message)}</p>`);
}
