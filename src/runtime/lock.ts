// A per-host lock file, so two sentryctl processes changing the same project on the same engine
// take turns instead of racing (the second then finds everything up and reuses it). It names its
// holder's pid, and a lock whose holder is gone is taken over.
//
// Both steps are atomic. Taking: the pid is written to a temporary file first and then hard-linked
// to the lock's name (link fails if the name exists), so the lock never exists without its pid; an
// empty or unreadable lock is therefore someone else's (an older writer), not a dead one, and is
// only treated as stale once it is old. Stealing: the stale lock is renamed aside (only one
// process can move a given file) and the moved file is checked to be the one found stale (same
// inode and content: every lock carries a random nonce after the pid, since inodes are reused);
// if another process replaced it in between, it is put back and we wait.

import { linkSync, lstatSync, mkdirSync, readFileSync, renameSync, type Stats } from "node:fs";
import { join } from "node:path";
import { sha256Hex } from "../lib/hash.ts";
import { tempPathFor, unlinkQuietly, writeTempFile } from "./atomic-file.ts";
import { type Clock, realClock } from "./clock.ts";
import { poll } from "./poll.ts";

export interface Lock {
  release(): void;
}

export interface LockOptions {
  signal?: AbortSignal;
  /** Told once which pid holds the lock while we wait. */
  onWait?: (pid: number) => void;
  /** How often a held lock is looked at again. */
  pollMs?: number;
  /** How old a lock without a readable pid must be before it counts as abandoned. */
  unreadableStaleMs?: number;
  clock?: Clock;
  /** Test seam: runs between finding a lock stale and moving it aside (the race window). */
  beforeSteal?: () => Promise<void> | void;
}

const UNREADABLE_STALE_MS = 10_000;
const POLL_MS = 100;

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

/** Links a complete lock file (our pid, a nonce) to `path`; undefined when a lock exists. */
function tryTake(path: string): string | undefined {
  const nonce = crypto.getRandomValues(new Uint32Array(2)).join("");
  const content = `${process.pid}\n${nonce}\n`;
  const tmp = writeTempFile(path, content, 0o644);
  try {
    linkSync(tmp, path);
    return content;
  } catch (err) {
    if ((err as { code?: string }).code === "EEXIST") return undefined;
    throw err;
  } finally {
    unlinkQuietly(tmp);
  }
}

interface Seen {
  st: Stats;
  text: string;
}

type Holder = { state: "gone" } | { state: "live"; pid: number } | { state: "stale"; seen: Seen };

function sameFile(a: Seen, b: Seen): boolean {
  return a.st.ino === b.st.ino && a.st.dev === b.st.dev && a.text === b.text;
}

function inspect(path: string, now: number, unreadableStaleMs: number): Holder {
  let st: Stats;
  let text: string;
  try {
    st = lstatSync(path);
    text = readFileSync(path, "utf8");
  } catch {
    return { state: "gone" }; // released between our attempt and this look
  }
  // The first line is the pid (older sentryctl versions wrote only that).
  const first = text.split("\n", 1)[0]!.trim();
  const pid = /^\d+$/.test(first) ? Number(first) : NaN;
  const seen = { st, text };
  if (Number.isSafeInteger(pid) && pid > 0) {
    return alive(pid) ? { state: "live", pid } : { state: "stale", seen };
  }
  // No pid: a writer that creates first and writes after may be half-way. Only age decides.
  return now - st.mtimeMs > unreadableStaleMs
    ? { state: "stale", seen }
    : { state: "live", pid: 0 };
}

/**
 * Moves the lock aside if it is still the file found stale; puts back a file that is not (a
 * process that took the lock after ours looked). True when the stale lock was removed.
 */
function steal(path: string, stale: Seen): boolean {
  const aside = `${tempPathFor(path)}.stale`;
  try {
    renameSync(path, aside);
  } catch {
    return false; // gone already: someone else moved or released it
  }
  let moved: Seen;
  try {
    moved = { st: lstatSync(aside), text: readFileSync(aside, "utf8") };
  } catch {
    return false;
  }
  if (sameFile(moved, stale)) {
    unlinkQuietly(aside);
    return true;
  }
  try {
    linkSync(aside, path);
  } catch {
    // A third process took the free name meanwhile; the moved lock's holder keeps believing it
    // holds, which only a kernel lock could rule out. Nothing more to undo here.
  }
  unlinkQuietly(aside);
  return false;
}

/**
 * Takes the lock, waiting while a live process holds it. `onWait` is told once who holds it.
 * Gives up (returns undefined) when `signal` aborts.
 */
export async function acquireLock(path: string, opts: LockOptions = {}): Promise<Lock | undefined> {
  let told = false;
  const clock = opts.clock ?? realClock;
  const unreadableStaleMs = opts.unreadableStaleMs ?? UNREADABLE_STALE_MS;
  const attempt = async (): Promise<Lock | undefined> => {
    for (;;) {
      const content = tryTake(path);
      if (content !== undefined) return heldLock(path, content);
      const holder = inspect(path, clock.now(), unreadableStaleMs);
      if (holder.state === "gone") continue;
      if (holder.state === "stale") {
        // Its holder died without releasing it (SIGKILL): take it over.
        await opts.beforeSteal?.();
        if (steal(path, holder.seen)) continue;
      } else if (!told) {
        told = true;
        opts.onWait?.(holder.pid);
      }
      return undefined;
    }
  };
  try {
    return await poll(attempt, { every: opts.pollMs ?? POLL_MS, signal: opts.signal, clock });
  } catch (err) {
    if (opts.signal?.aborted) return undefined;
    throw err;
  }
}

function heldLock(path: string, content: string): Lock {
  const mine = { st: lstatSync(path), text: content };
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      // Remove only our own file: a lock taken over from us is someone else's now.
      try {
        if (sameFile({ st: lstatSync(path), text: readFileSync(path, "utf8") }, mine)) {
          unlinkQuietly(path);
        }
      } catch {
        // Already gone.
      }
    },
  };
}
