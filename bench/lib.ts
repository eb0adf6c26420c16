// Shared timing helpers for bench/ scripts: interleaved runs (so machine noise hits every
// command alike), medians and ratio tables.

import { spawnSync } from "node:child_process";

export interface Subject {
  name: string;
  argv: string[];
  env?: Record<string, string>;
}

export interface Timing {
  name: string;
  medianMs: number;
  p90Ms: number;
  runs: number;
}

export function timeOnce(subject: Subject): number {
  const t0 = performance.now();
  const r = spawnSync(subject.argv[0]!, subject.argv.slice(1), {
    stdio: ["ignore", "ignore", "pipe"],
    env: subject.env ?? process.env,
  });
  const elapsed = performance.now() - t0;
  if (r.status !== 0) {
    throw new Error(`${subject.name} exited ${r.status}: ${r.stderr?.toString().slice(0, 500)}`);
  }
  return elapsed;
}

export function quantile(sorted: number[], q: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))));
  return sorted[i]!;
}

/** Runs every subject `runs` times, round-robin, after `warmup` untimed rounds. */
export function measure(subjects: Subject[], runs: number, warmup = 3): Timing[] {
  for (let i = 0; i < warmup; i++) for (const s of subjects) timeOnce(s);
  const samples = subjects.map(() => [] as number[]);
  for (let i = 0; i < runs; i++) {
    subjects.forEach((s, j) => samples[j]!.push(timeOnce(s)));
  }
  return subjects.map((s, j) => {
    const sorted = samples[j]!.sort((a, b) => a - b);
    return { name: s.name, medianMs: quantile(sorted, 0.5), p90Ms: quantile(sorted, 0.9), runs };
  });
}

export function printTable(timings: Timing[], baseline: string): void {
  const base = timings.find((t) => t.name === baseline);
  const width = Math.max(...timings.map((t) => t.name.length)) + 2;
  console.log(`${"command".padEnd(width)}  median ms    p90 ms   ratio vs ${baseline}`);
  for (const t of timings) {
    const ratio = base ? (t.medianMs / base.medianMs).toFixed(2) + "x" : "-";
    console.log(
      `${t.name.padEnd(width)}  ${t.medianMs.toFixed(1).padStart(9)}  ${
        t.p90Ms.toFixed(1).padStart(8)
      }   ${ratio}`,
    );
  }
}
