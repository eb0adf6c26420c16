// The session label of a foreground command (SPEC §3): host id, boot id, pid and process start
// time, so a later run can tell a live attach's container from one whose attach died.

import { readFileSync } from "node:fs";
import { hostname } from "node:os";

function firstLine(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8").split("\n")[0]!.trim() || undefined;
  } catch {
    return undefined;
  }
}

/** `host=<id>,boot=<id>,pid=<n>,start=<ms>`: readable in `docker inspect`. */
export function sessionLabel(): string {
  const host = firstLine("/etc/machine-id") ?? hostname();
  const boot = firstLine("/proc/sys/kernel/random/boot_id") ?? "unknown";
  return `host=${host},boot=${boot},pid=${process.pid},start=${Math.round(performance.timeOrigin)}`;
}
