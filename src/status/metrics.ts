// The status server's own counters in Prometheus text format, served at /metrics ahead of the
// process registry's rendering (src/metrics/). Names follow SPEC §7: dotted names with `.`/`-`
// → `_`, counters ending in `_total`.

export class IngestCounters {
  #counts = new Map<string, number>();

  add(kind: string): void {
    this.#counts.set(kind, (this.#counts.get(kind) ?? 0) + 1);
  }

  render(): string {
    const name = "sentryctl_status_ingested_items_total";
    const lines = [
      `# HELP ${name} Envelope items received by the status server, by item type.`,
      `# TYPE ${name} counter`,
    ];
    for (const [kind, n] of [...this.#counts].sort()) {
      lines.push(`${name}{type="${kind.replace(/[\\"\n]/g, "_")}"} ${n}`);
    }
    return lines.join("\n") + "\n";
  }
}
