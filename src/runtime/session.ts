// Identifies this process across machines and reboots for the session label (SPEC §3):
// host id, boot id, pid and process start time. A label naming a dead session means the
// container's foreground owner is gone, whatever the pid is reused for later.

import { readFileSync } from "node:fs";
import { hostname } from "node:os";

function firstLine(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8").split("\n")[0]!.trim() || undefined;
  } catch {
    return undefined;
  }
}

export interface Session {
  hostId: string;
  bootId: string;
  pid: number;
  /** Milliseconds since the epoch when this process started. */
  startedAt: number;
}

export function currentSession(): Session {
  return {
    hostId: firstLine("/etc/machine-id") ?? firstLine("/var/lib/dbus/machine-id") ?? hostname(),
    bootId: firstLine("/proc/sys/kernel/random/boot_id") ?? "unknown",
    pid: process.pid,
    startedAt: Math.round(performance.timeOrigin),
  };
}

/** `host=<id>,boot=<id>,pid=<n>,start=<ms>`: readable in `docker inspect`, parseable back. */
export function formatSession(s: Session): string {
  return `host=${s.hostId},boot=${s.bootId},pid=${s.pid},start=${s.startedAt}`;
}

export function parseSession(text: string): Session | undefined {
  const fields = Object.fromEntries(
    text.split(",").map((part) => {
      const eq = part.indexOf("=");
      return eq < 0 ? [part, ""] : [part.slice(0, eq), part.slice(eq + 1)];
    }),
  );
  const pid = Number(fields.pid);
  const startedAt = Number(fields.start);
  if (!fields.host || !fields.boot || !Number.isInteger(pid) || !Number.isFinite(startedAt)) {
    return undefined;
  }
  return { hostId: fields.host, bootId: fields.boot, pid, startedAt };
}
