// Shared timing helpers for bench/ scripts: interleaved runs (so machine noise hits every
// command alike), medians and ratio tables; and, for the status-server benches (ingest,
// stream fan-out), the Spotlight sidecar installed in its own directory and the servers
// started side by side.

import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

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

// --- status-server benches: sentryctl serve against the Spotlight sidecar ----------------------

export const SPOTLIGHT = "@spotlightjs/spotlight@4.11.8";
// 4.12.25 is the hono its own bundle was built with; later 4.12.x answer 500 on every request
// (`ctx.req.query().toString` is not a function in its tracing middleware).
export const SPOTLIGHT_HONO = "hono@4.12.25";

const children: ChildProcess[] = [];
let stopHooked = false;

/** Ends every server and helper process the bench started (also on exit). */
export function stopChildren(): void {
  for (const c of children) if (c.exitCode === null) c.kill("SIGTERM");
}

/** Spawns a process the bench owns: it is ended with the bench. */
export function own(child: ChildProcess): ChildProcess {
  if (!stopHooked) {
    stopHooked = true;
    process.on("exit", stopChildren);
  }
  children.push(child);
  return child;
}

/** Spotlight's `run.js`, installed (once) into `dir`, never into this project. */
export function ensureSpotlight(dir: string): { runJs: string; version: string } {
  const runJs = join(dir, "node_modules/@spotlightjs/spotlight/dist/run.js");
  if (!existsSync(runJs)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "package.json"), '{"name":"spotlight-bench","private":true}\n');
    console.error(`installing ${SPOTLIGHT} and ${SPOTLIGHT_HONO} into ${dir} …`);
    const r = spawnSync(
      "npm",
      ["install", "--no-audit", "--no-fund", "--save-exact", SPOTLIGHT, SPOTLIGHT_HONO],
      { cwd: dir, stdio: "inherit" },
    );
    if (r.status !== 0 || !existsSync(runJs)) throw new Error("could not install Spotlight");
  }
  const pkg = join(dir, "node_modules/@spotlightjs/spotlight/package.json");
  return { runJs, version: JSON.parse(readFileSync(pkg, "utf8")).version };
}

/** Resolves with the first match (group 1 if any) of `re` in the child's output. */
export function waitForLine(child: ChildProcess, re: RegExp, timeoutMs = 20_000): Promise<string> {
  return new Promise((res, reject) => {
    let out = "";
    const timer = setTimeout(
      () => reject(new Error(`timed out waiting for ${re}: ${out}`)),
      timeoutMs,
    );
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = re.exec(out);
      if (m) {
        clearTimeout(timer);
        res(m[1] ?? m[0]);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.on("exit", (code) => reject(new Error(`exited ${code} before ${re}: ${out}`)));
  });
}

export async function waitForHealth(url: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer`);
}

/** The name of the ceiling target (`BENCH_CEILING=1`). */
export const CEILING = "ceiling (no work)";

/** With a ceiling target among them: each sentryctl's throughput as a share of the ceiling's. */
export function printCeilingShare(rates: { name: string; rate: number }[]): void {
  const ceiling = rates.find((r) => r.name === CEILING);
  if (!ceiling) return;
  for (const r of rates) {
    if (!r.name.startsWith("sentryctl")) continue;
    console.log(
      `${r.name} reaches ${(100 * r.rate / ceiling.rate).toFixed(0)}% of the ceiling's throughput`,
    );
  }
}

export interface StatusTarget {
  name: string;
  /** `http://host:port`, no trailing slash. */
  base: string;
  /** The server's process, for its CPU time (`cpuSecondsOf`). */
  pid?: number;
}

let ticksPerSecond: number | undefined;

/**
 * CPU seconds (user + system) process `pid` has used so far, from /proc (Linux); undefined
 * where there is no /proc. Read around a timed round, it gives the server's own CPU per
 * envelope: what a server change moves even when the machine, not the server, sets the wall
 * time (two cores shared with the load generator and the readers).
 */
export function cpuSecondsOf(pid: number | undefined): number | undefined {
  const stat = pid === undefined ? undefined : readStat(`/proc/${pid}/stat`);
  return stat === undefined ? undefined : statTicks(stat).ticks / clockTicks();
}

/** A /proc file's text; undefined when it is gone (the process or thread ended) or absent. */
function readStat(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

function clockTicks(): number {
  ticksPerSecond ??= Number(spawnSync("getconf", ["CLK_TCK"]).stdout?.toString().trim()) || 100;
  return ticksPerSecond;
}

/**
 * A /proc `stat` line's command name and CPU ticks (utime + stime). The name sits in
 * parentheses and may hold spaces and parentheses itself, so the fields are counted from the
 * last `)`: utime and stime are the 12th and 13th after it.
 */
export function statTicks(stat: string): { name: string; ticks: number } {
  const close = stat.lastIndexOf(")");
  const fields = stat.slice(close + 2).split(" ");
  return {
    name: stat.slice(stat.indexOf("(") + 1, close),
    ticks: Number(fields[11]) + Number(fields[12]),
  };
}

/**
 * CPU seconds per kind of thread of process `pid` (Linux; undefined elsewhere): threads named
 * alike are summed, a trailing number dropped (`Bun Pool 0` and `Bun Pool 1` are `Bun Pool`), and
 * the process's first thread is `main`.
 * Read around a timed round, it tells the server's own work (its main thread) from the
 * runtime's around it: the JIT compiler's threads, the collector's, the allocator's.
 */
export function threadCpuSecondsOf(pid: number | undefined): Map<string, number> | undefined {
  if (pid === undefined) return undefined;
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return undefined;
  }
  const out = new Map<string, number>();
  for (const tid of tids) {
    const stat = readStat(`/proc/${pid}/task/${tid}/stat`);
    if (stat === undefined) continue; // the thread ended meanwhile
    const { name, ticks } = statTicks(stat);
    const kind = tid === String(pid) ? "main" : name.replace(/[\s\d]+$/, "") || name;
    out.set(kind, (out.get(kind) ?? 0) + ticks / clockTicks());
  }
  return out;
}

/**
 * Per kind of thread, the CPU microseconds per unit of work between two `threadCpuSecondsOf`
 * readings, most first; threads that started meanwhile count from zero.
 */
export function threadMicrosPer(
  before: Map<string, number> | undefined,
  after: Map<string, number> | undefined,
  units: number,
): [string, number][] {
  if (before === undefined || after === undefined || units <= 0) return [];
  return [...after]
    .map(([kind, s]): [string, number] => [kind, (s - (before.get(kind) ?? 0)) * 1e6 / units])
    .sort((a, b) => b[1] - a[1]);
}

/** Server CPU microseconds per unit of work between two `cpuSecondsOf` readings. */
export function cpuMicrosPer(
  before: number | undefined,
  after: number | undefined,
  units: number,
): number | undefined {
  if (before === undefined || after === undefined || units <= 0) return undefined;
  return (after - before) * 1e6 / units;
}

/**
 * Per-kind thread CPU summed over timed rounds (BENCH_THREADS=1 in the status benches): `add`
 * around each round, `line` for the CPU per unit of work over them all.
 */
export class ThreadTally {
  #seconds = new Map<string, number>();
  #units = 0;

  add(
    before: Map<string, number> | undefined,
    after: Map<string, number> | undefined,
    units: number,
  ) {
    if (before === undefined || after === undefined) return;
    for (const [kind, s] of after) {
      this.#seconds.set(kind, (this.#seconds.get(kind) ?? 0) + s - (before.get(kind) ?? 0));
    }
    this.#units += units;
  }

  /** `main 81, JITWorker 12, …` (µs per unit, most first), or "-" without readings. */
  line(): string {
    const per = threadMicrosPer(new Map(), this.#seconds, this.#units);
    return per.length === 0 ? "-" : per.map(([k, us]) => `${k} ${us.toFixed(0)}`).join(", ");
  }
}

/**
 * The servers a status-server bench compares, started and answering: `sentryctl serve` (its
 * state in a fresh directory), optionally a second sentryctl binary (`SENTRYCTL_BASELINE_BIN`,
 * to compare two builds interleaved in one run), with `BENCH_CEILING=1` the ceiling server
 * (./ceiling-server.ts), and Spotlight on `spotlightPort`.
 */
export async function startStatusTargets(tag: string, spotlightPort: number): Promise<{
  targets: StatusTarget[];
  spotlight: StatusTarget;
}> {
  const bins = [{
    name: "sentryctl serve",
    bin: resolve(process.env.SENTRYCTL_BIN ?? "dist/sentryctl"),
  }];
  if (process.env.SENTRYCTL_BASELINE_BIN) {
    bins.push({ name: "sentryctl baseline", bin: resolve(process.env.SENTRYCTL_BASELINE_BIN) });
  }
  for (const b of bins) {
    if (!existsSync(b.bin)) throw new Error(`${b.bin} not found: run 'npm run build' first`);
  }
  const dir = process.env.SPOTLIGHT_DIR ?? join(tmpdir(), "sentryctl-bench-spotlight");
  const { runJs, version } = ensureSpotlight(dir);
  const targets: StatusTarget[] = [];
  for (const b of bins) {
    const conf = mkdtempSync(join(tmpdir(), `sentryctl-bench-${tag}-`));
    writeFileSync(join(conf, "sentry.conf.yml"), "SENTRY_DEVSERVICES: {}\n");
    const child = own(spawn(
      b.bin,
      ["--config", conf, "--project", `sentryctl-bench-${tag}`, "serve", "--bind", "127.0.0.1:0"],
      { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, HOME: conf } },
    ));
    const url = await waitForLine(child, /Status server on (http:\/\/[^/]+)\//);
    targets.push({ name: b.name, base: url, pid: child.pid });
  }
  if (process.env.BENCH_CEILING === "1") {
    // The least any server could do (./ceiling-server.ts): what this machine allows the bench.
    const child = own(
      spawn(process.execPath, [join(import.meta.dirname ?? ".", "ceiling-server.ts")], {
        stdio: ["ignore", "pipe", "pipe"],
      }),
    );
    const url = await waitForLine(child, /Status server on (http:\/\/[^/]+)\//);
    targets.push({ name: CEILING, base: url, pid: child.pid });
  }
  const node = own(spawn("node", [runJs, "server", "-p", String(spotlightPort)], {
    cwd: dir,
    stdio: ["ignore", "pipe", "pipe"],
  }));
  const spotlight = {
    name: `Spotlight ${version}`,
    base: `http://localhost:${spotlightPort}`,
    pid: node.pid,
  };
  for (const t of [...targets, spotlight]) await waitForHealth(`${t.base}/health`);
  return { targets: [...targets, spotlight], spotlight };
}

// --- fresh ids for the status-server benches' payloads ----------------------------------------

// Where a fresh id goes in a payload template (32 characters, like the hex id it stands for).
export const ID_SLOT = "%%%%%%%%%%%%%%ID%%%%%%%%%%%%%%%%";

/**
 * Every POST carries a fresh event id (a log batch a fresh trace id), as an SDK's envelopes do:
 * the inbox keeps one envelope per event id (and drops a byte-for-byte copy of an id-less one),
 * so cycling the same bodies would time its cheaper duplicate path, not Spotlight's. The id is
 * a per-run random half and a counter, joined into the template's pieces: a few string
 * operations per POST, not a JSON encoding.
 */
export class FreshIds {
  #prefix = crypto.randomUUID().replaceAll("-", "").slice(0, 16);
  #n = 0;

  next(): string {
    return this.#prefix + (this.#n++).toString(16).padStart(16, "0");
  }

  /** The template's pieces around its id slots. */
  static split(template: string): string[] {
    return template.split(ID_SLOT);
  }

  fill(pieces: string[]): string {
    return pieces.join(this.next());
  }
}
