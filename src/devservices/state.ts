// devservices' runtime state, as devservices keeps it (started / starting services with their
// modes, comma-joined and accumulating; each service's runtime, local or containerized), in one
// JSON file in sentryctl's state directory. Every change is read-modify-write under a lock and
// written through a temporary file and rename, so concurrent commands never lose an entry.

import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { acquireLock } from "../runtime/lock.ts";

export type Runtime = "local" | "containerized";

export interface ServiceEntry {
  modes: string[];
  /** The repo the service ran from (its programs' working directory). */
  repoDir: string;
  /** ISO time of the last change. */
  since: string;
}

export interface StateData {
  started: Record<string, ServiceEntry>;
  starting: Record<string, ServiceEntry>;
  runtime: Record<string, Runtime>;
}

export class DevservicesState {
  readonly file: string;
  constructor(readonly dir: string) {
    this.file = join(dir, "devservices-state.json");
  }

  read(): StateData {
    try {
      const data = JSON.parse(readFileSync(this.file, "utf8")) as Partial<StateData>;
      return {
        started: data.started ?? {},
        starting: data.starting ?? {},
        runtime: data.runtime ?? {},
      };
    } catch {
      return { started: {}, starting: {}, runtime: {} };
    }
  }

  async update<T>(change: (data: StateData) => T): Promise<T> {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const lock = await acquireLock(`${this.file}.lock`);
    try {
      const data = this.read();
      const result = change(data);
      const tmp = `${this.file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(data, null, 2) + "\n", { mode: 0o600 });
      renameSync(tmp, this.file);
      return result;
    } finally {
      lock?.release();
    }
  }

  /** Services that are started or starting, with their modes. */
  active(): Map<string, ServiceEntry> {
    const data = this.read();
    const out = new Map<string, ServiceEntry>();
    for (const table of [data.started, data.starting]) {
      for (const [name, entry] of Object.entries(table)) {
        const seen = out.get(name);
        out.set(name, seen ? { ...seen, modes: union(seen.modes, entry.modes) } : entry);
      }
    }
    return out;
  }

  runtimeOf(service: string): Runtime {
    return this.read().runtime[service] ?? "containerized";
  }

  localServices(): Set<string> {
    return new Set(
      Object.entries(this.read().runtime).filter(([, r]) => r === "local").map(([n]) => n),
    );
  }
}

export function union(a: string[], b: string[]): string[] {
  return [...a, ...b.filter((x) => !a.includes(x))];
}

export function addMode(
  table: Record<string, ServiceEntry>,
  name: string,
  mode: string,
  repoDir: string,
  now: Date,
): void {
  const entry = table[name];
  table[name] = {
    modes: union(entry?.modes ?? [], [mode]),
    repoDir,
    since: now.toISOString(),
  };
}
