// A per-host lock file, so two sentryctl processes changing the same project on the same engine
// take turns instead of racing (the second then finds everything up and reuses it). Created
// with O_EXCL; it names its holder's pid, and a lock whose holder is gone is taken over.

import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { join } from "node:path";
import { sha256Hex } from "../lib/hash.ts";

export interface Lock {
  release(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but is not ours to signal.
    return (err as { code?: string }).code === "EPERM";
  }
}

export function lockPath(scope: string): string {
  const dir = join(process.getBuiltinModule("node:os").tmpdir(), "sentryctl-locks");
  mkdirSync(dir, { recursive: true });
  return join(
    dir,
    `${sha256Hex(scope).slice(0, 24)}.lock`,
  );
}

/**
 * Takes the lock, waiting while a live process holds it. `onWait` is told once who holds it.
 * Gives up (returns undefined) when `signal` aborts.
 */
export async function acquireLock(
  path: string,
  opts: { signal?: AbortSignal; onWait?: (pid: number) => void; pollMs?: number } = {},
): Promise<Lock | undefined> {
  let told = false;
  for (;;) {
    if (opts.signal?.aborted) return undefined;
    try {
      const fd = openSync(path, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          try {
            if (readFileSync(path, "utf8") === String(process.pid)) unlinkSync(path);
          } catch {
            // Already gone.
          }
        },
      };
    } catch (err) {
      if ((err as { code?: string }).code !== "EEXIST") throw err;
    }
    let holder = NaN;
    try {
      holder = Number(readFileSync(path, "utf8"));
    } catch {
      continue; // released between our open and read: try again at once
    }
    if (!Number.isInteger(holder) || holder <= 0 || !alive(holder)) {
      // Its holder died without releasing it (SIGKILL): take it over.
      try {
        unlinkSync(path);
      } catch {
        // Someone else took it over first.
      }
      continue;
    }
    if (!told) {
      told = true;
      opts.onWait?.(holder);
    }
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 100));
  }
}
