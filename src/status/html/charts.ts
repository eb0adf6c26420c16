// Small inline SVG charts rendered on the server (no chart library, no build step): a
// polyline over the last samples, scaled to the series' own maximum, with a title for the
// latest value so a screen reader and a hover both get the number.

import { esc } from "./escape.ts";

export function sparkline(
  values: number[],
  opts: { width?: number; height?: number; label: string; unit?: string; max?: number },
): string {
  const w = opts.width ?? 120;
  const h = opts.height ?? 28;
  const latest = values.length > 0 ? values[values.length - 1]! : 0;
  const max = Math.max(opts.max ?? 0, ...values, 1e-9);
  const step = values.length > 1 ? w / (values.length - 1) : w;
  const points = values.map((v, i) =>
    `${(i * step).toFixed(1)},${(h - 1 - (Math.max(0, v) / max) * (h - 2)).toFixed(1)}`
  ).join(" ");
  const title = `${opts.label}: ${formatValue(latest, opts.unit)}`;
  return `<svg class="chart" role="img" aria-label="${esc(title)}" width="${w}" height="${h}" ` +
    `viewBox="0 0 ${w} ${h}"><title>${esc(title)}</title>` +
    `<rect width="${w}" height="${h}" class="chart-bg"/>` +
    (values.length > 0 ? `<polyline fill="none" class="chart-line" points="${points}"/>` : "") +
    `</svg>`;
}

/** Vertical bars, one per bucket (events per minute). */
export function bars(
  values: number[],
  opts: { width?: number; height?: number; label: string },
): string {
  const w = opts.width ?? 240;
  const h = opts.height ?? 40;
  const max = Math.max(...values, 1);
  const bw = values.length > 0 ? w / values.length : w;
  const rects = values.map((v, i) => {
    const bh = (v / max) * (h - 2);
    return `<rect x="${(i * bw + 0.5).toFixed(1)}" y="${(h - bh).toFixed(1)}" width="${
      Math.max(1, bw - 1).toFixed(1)
    }" height="${bh.toFixed(1)}" class="bar"><title>${v}</title></rect>`;
  }).join("");
  const total = values.reduce((a, b) => a + b, 0);
  const title = `${opts.label}: ${total} in the last ${values.length} minutes`;
  return `<svg class="chart" role="img" aria-label="${esc(title)}" width="${w}" height="${h}" ` +
    `viewBox="0 0 ${w} ${h}"><title>${esc(title)}</title>` +
    `<rect width="${w}" height="${h}" class="chart-bg"/>${rects}</svg>`;
}

export function formatValue(v: number, unit?: string): string {
  if (unit === "bytes") {
    if (v >= 1024 ** 3) return `${(v / 1024 ** 3).toFixed(1)} GiB`;
    if (v >= 1024 ** 2) return `${(v / 1024 ** 2).toFixed(1)} MiB`;
    if (v >= 1024) return `${(v / 1024).toFixed(0)} KiB`;
    return `${v} B`;
  }
  if (unit === "%") return `${v.toFixed(1)}%`;
  return String(v);
}
