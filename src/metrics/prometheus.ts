// An in-process Prometheus registry and its text rendering (exposition format 0.0.4), for the
// `prometheus` metrics backend and the status server's `GET /metrics`. Names follow SPEC §7:
// the dotted metric name with `.`/`-` (and anything else Prometheus forbids) → `_`; counters end
// `_total`; timings (seconds) are histograms named `…_seconds`; distributions are histograms;
// gauges keep the last value. Tags become labels, the instance a label `instance`. Every family
// has a HELP line (promtool's linter asks for one). Series are capped so a runaway tag cannot
// eat the process's memory.

export type FamilyType = "counter" | "gauge" | "histogram";
export type Labels = Readonly<Record<string, string>>;

/** Upper bounds (seconds) of the timing histograms: 1 ms to 60 s. */
export const TIMING_BUCKETS: readonly number[] = [
  0.001,
  0.005,
  0.01,
  0.025,
  0.05,
  0.1,
  0.25,
  0.5,
  1,
  2.5,
  5,
  10,
  30,
  60,
];
/** Upper bounds of unitless distributions. */
export const VALUE_BUCKETS: readonly number[] = [1, 5, 10, 50, 100, 500, 1000, 5000, 10000];

interface Series {
  labels: Labels;
  value: number;
  /** Histograms: per-bucket counts (not cumulative), then sum and count. */
  buckets?: number[];
  sum?: number;
  count?: number;
}

interface Family {
  name: string;
  type: FamilyType;
  help: string;
  bounds: readonly number[];
  series: Map<string, Series>;
}

/** A Prometheus metric name from a dotted one: `sentry.internal.x-y` → `sentry_internal_x_y`. */
export function metricName(key: string): string {
  let name = key.replace(/[^a-zA-Z0-9_:]/g, "_");
  if (!/^[a-zA-Z_:]/.test(name)) name = `_${name}`;
  return name;
}

/** A label name: letters, digits and `_`, not starting with a digit or `__` (reserved). */
export function labelName(key: string): string {
  let name = key.replace(/[^a-zA-Z0-9_]/g, "_");
  if (!/^[a-zA-Z_]/.test(name)) name = `_${name}`;
  while (name.startsWith("__")) name = name.slice(1);
  return name || "_";
}

function escapeLabelValue(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function escapeHelp(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  return String(v);
}

export class PrometheusRegistry {
  readonly #families = new Map<string, Family>();
  #seriesCount = 0;
  /** Samples dropped: series cap reached, or a name reused with another type. */
  dropped = 0;

  constructor(readonly maxSeries = 10_000) {}

  #series(
    name: string,
    type: FamilyType,
    help: string,
    labels: Labels,
    bounds: readonly number[] = [],
  ): Series | undefined {
    let family = this.#families.get(name);
    if (!family) {
      family = { name, type, help, bounds, series: new Map() };
      this.#families.set(name, family);
    } else if (family.type !== type) {
      this.dropped++;
      return undefined;
    }
    const id = JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));
    let series = family.series.get(id);
    if (!series) {
      if (this.#seriesCount >= this.maxSeries) {
        this.dropped++;
        return undefined;
      }
      series = { labels, value: 0 };
      if (type === "histogram") {
        series.buckets = new Array(bounds.length).fill(0);
        series.sum = 0;
        series.count = 0;
      }
      family.series.set(id, series);
      this.#seriesCount++;
    }
    return series;
  }

  /** Adds to a counter; the name gets `_total` when it does not end with it already. */
  inc(key: string, amount: number, labels: Labels = {}, help = key): void {
    if (!(amount >= 0)) return; // counters only go up; NaN and negatives are ignored
    const base = metricName(key);
    const name = base.endsWith("_total") ? base : `${base}_total`;
    const s = this.#series(name, "counter", help, labels);
    if (s) s.value += amount;
  }

  set(key: string, value: number, labels: Labels = {}, help = key): void {
    const s = this.#series(metricName(key), "gauge", help, labels);
    if (s) s.value = value;
  }

  /** Observes a value into a histogram with the given bucket bounds. */
  observe(
    key: string,
    value: number,
    labels: Labels = {},
    opts: { seconds?: boolean; help?: string; bounds?: readonly number[] } = {},
  ): void {
    if (!Number.isFinite(value)) return;
    let name = metricName(key);
    if (opts.seconds && !name.endsWith("_seconds")) name += "_seconds";
    const bounds = opts.bounds ?? (opts.seconds ? TIMING_BUCKETS : VALUE_BUCKETS);
    const s = this.#series(name, "histogram", opts.help ?? key, labels, bounds);
    if (!s) return;
    const idx = bounds.findIndex((b) => value <= b);
    if (idx >= 0) s.buckets![idx]!++;
    s.sum! += value;
    s.count!++;
  }

  /** For tests and the status page: the current value of a counter or gauge series. */
  value(name: string, labels: Labels = {}): number | undefined {
    const family = this.#families.get(name);
    const id = JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));
    return family?.series.get(id)?.value;
  }

  families(): readonly Family[] {
    return [...this.#families.values()];
  }

  clear(): void {
    this.#families.clear();
    this.#seriesCount = 0;
    this.dropped = 0;
  }
}

function labelText(labels: Labels, extra?: [string, string]): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabelValue(v)}"`);
  if (extra) parts.push(`${extra[0]}="${escapeLabelValue(extra[1])}"`);
  return parts.length ? `{${parts.join(",")}}` : "";
}

/** The registry as Prometheus text (what `GET /metrics` serves, `text/plain; version=0.0.4`). */
export function renderPrometheus(registry: PrometheusRegistry): string {
  const out: string[] = [];
  const families = [...registry.families()].sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const f of families) {
    out.push(`# HELP ${f.name} ${escapeHelp(`sentryctl metric ${f.help}`)}`);
    out.push(`# TYPE ${f.name} ${f.type}`);
    for (const s of f.series.values()) {
      if (f.type !== "histogram") {
        out.push(`${f.name}${labelText(s.labels)} ${formatValue(s.value)}`);
        continue;
      }
      let cumulative = 0;
      f.bounds.forEach((bound, i) => {
        cumulative += s.buckets![i]!;
        out.push(
          `${f.name}_bucket${labelText(s.labels, ["le", formatValue(bound)])} ${cumulative}`,
        );
      });
      out.push(`${f.name}_bucket${labelText(s.labels, ["le", "+Inf"])} ${s.count}`);
      out.push(`${f.name}_sum${labelText(s.labels)} ${formatValue(s.sum!)}`);
      out.push(`${f.name}_count${labelText(s.labels)} ${s.count}`);
    }
  }
  return out.length ? `${out.join("\n")}\n` : "";
}

/** The content type `GET /metrics` should answer with. */
export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

let processRegistry: PrometheusRegistry | undefined;

/** The registry of this process: what the `prometheus` backend writes and `/metrics` renders. */
export function getProcessRegistry(): PrometheusRegistry {
  return processRegistry ??= new PrometheusRegistry();
}
