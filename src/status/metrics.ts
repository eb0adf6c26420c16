// The status server's own counters in Prometheus text format, served at /metrics ahead of the
// process registry's rendering (src/metrics/). Names follow SPEC §7: dotted names with `.`/`-`
// → `_`, counters ending in `_total`. Items are counted as received, repeats included; an
// envelope not stored because it repeats one already taken is also counted as a duplicate.

export class IngestCounters {
  #counts = new Map<string, number>();
  #duplicates = new Map<string, number>([["event_id", 0], ["content", 0]]);

  add(kind: string): void {
    this.#counts.set(kind, (this.#counts.get(kind) ?? 0) + 1);
  }

  /** An envelope not stored: it repeated one already taken (by event id or by content). */
  duplicate(reason: string): void {
    this.#duplicates.set(reason, (this.#duplicates.get(reason) ?? 0) + 1);
  }

  render(): string {
    const name = "sentryctl_status_ingested_items_total";
    const lines = [
      `# HELP ${name} Envelope items received by the status server, by item type.`,
      `# TYPE ${name} counter`,
    ];
    for (const [kind, n] of [...this.#counts].sort()) {
      lines.push(`${name}{type="${label(kind)}"} ${n}`);
    }
    const dup = "sentryctl_status_duplicate_envelopes_total";
    lines.push(
      `# HELP ${dup} Envelopes received but not stored: repeats of one already taken, by rule.`,
      `# TYPE ${dup} counter`,
    );
    for (const [reason, n] of this.#duplicates) {
      lines.push(`${dup}{reason="${label(reason)}"} ${n}`);
    }
    return lines.join("\n") + "\n";
  }
}

function label(value: string): string {
  return value.replace(/[\\"\n]/g, "_");
}
