// Whole-or-nothing file writes: the content goes to a temporary file beside the target, is
// flushed, and only then renamed over it. A full disk, a quota or a crash half-way leaves the old
// file (or none), never a truncated one; the temporary file is removed on failure.

import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/** A temporary name in the target's directory (a rename stays atomic only within a filesystem). */
export function tempPathFor(path: string): string {
  const rand = crypto.getRandomValues(new Uint32Array(1))[0]!.toString(36);
  return join(dirname(path), `.${basename(path)}.${process.pid}.${rand}.tmp`);
}

/** Writes `data` to a new temporary file and fsyncs it; returns its path. Cleans up on failure. */
export function writeTempFile(path: string, data: string | Uint8Array, mode = 0o600): string {
  const tmp = tempPathFor(path);
  const fd = openSync(tmp, "wx", mode);
  try {
    const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
  } catch (err) {
    closeQuietly(fd);
    unlinkQuietly(tmp);
    throw err;
  }
  closeSync(fd);
  return tmp;
}

/** Replaces `path` with `data` atomically (mode applies to the new file). */
export function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o600): void {
  const tmp = writeTempFile(path, data, mode);
  try {
    renameSync(tmp, path);
  } catch (err) {
    unlinkQuietly(tmp);
    throw err;
  }
}

export function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone, or not ours to remove: nothing to undo.
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // The write error is the one worth reporting.
  }
}
