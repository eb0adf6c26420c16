// Exec probes that passed, remembered for the probe's interval across processes. An exec costs
// the engine ~0.2 s; Docker's own HEALTHCHECK (the same command) runs first one interval after a
// start, so an `up` right after another `up` would run every exec probe again. A pass is kept
// per container instance (id and start time: a restart forgets it) in one small file each under
// the state directory, and counts only as long as Docker's own verdict would.

import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";

export interface ProbeMemo {
  /** Whether this container instance passed its probe within the last `withinMs`. */
  passedWithin(containerId: string, startedAt: string, withinMs: number): boolean;
  remember(containerId: string, startedAt: string): void;
}

/** Files older than this are removed when a pass is written. */
const KEEP_MS = 60 * 60 * 1000;

export function fileProbeMemo(dir: string, now: () => number = Date.now): ProbeMemo {
  const file = (id: string) => join(dir, id.replace(/[^0-9a-zA-Z_.-]/g, "_"));
  return {
    passedWithin(containerId, startedAt, withinMs) {
      try {
        const memo = JSON.parse(readFileSync(file(containerId), "utf8")) as {
          startedAt?: unknown;
          at?: unknown;
        };
        if (memo.startedAt !== startedAt || typeof memo.at !== "number") return false;
        const age = now() - memo.at;
        return age >= 0 && age <= withinMs;
      } catch {
        return false; // none, unreadable or half-written: probe
      }
    },
    remember(containerId, startedAt) {
      try {
        mkdirSync(dir, { recursive: true });
        const target = file(containerId);
        const tmp = `${target}.${process.pid}.tmp`;
        writeFileSync(tmp, JSON.stringify({ startedAt, at: now() }));
        renameSync(tmp, target);
        for (const name of readdirSync(dir)) {
          const path = join(dir, name);
          if (now() - statSync(path).mtimeMs > KEEP_MS) rmSync(path, { force: true });
        }
      } catch {
        // Best effort: without the memo the next `up` simply probes.
      }
    },
  };
}
