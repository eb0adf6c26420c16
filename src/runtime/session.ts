// Who this process is, for session labels (SPEC §3: host id, boot id, pid, process start time),
// and whether another local process still exists. The /proc reads sit here so the label format
// and the orphan decision in src/lib/session.ts stay pure. Without /proc
// (macOS, BSD) boot id and start time are empty and a pid's existence is all that is checked.

import { readFileSync } from "node:fs";
import type { HostView, SessionId } from "../lib/session.ts";
import { sha256Hex } from "../lib/hash.ts";

export { formatSession } from "../lib/session.ts";

function read(path: string): string {
  try {
    return readFileSync(path, "utf8").trim();
  } catch {
    return "";
  }
}

/**
 * The machine id plus the host name, hashed: containers on one machine share the machine's
 * kernel (and boot id) but not its pid namespace, so a CI job in a container must not judge the
 * host's sessions (or a sibling container's) by its own process table.
 */
export function hostId(): string {
  const machine = read("/etc/machine-id") || read("/var/lib/dbus/machine-id");
  // node:os here, not at the top: most commands find no session container to judge.
  const { hostname } = process.getBuiltinModule("node:os");
  return sha256Hex(`${machine}\n${hostname()}`).slice(0, 16);
}

export function bootId(): string {
  return read("/proc/sys/kernel/random/boot_id").replace(/[^A-Za-z0-9-]/g, "");
}

/** Field 22 (starttime) of `/proc/PID/stat`; the command name in parentheses may hold anything. */
export function statStartTime(stat: string): string | undefined {
  const close = stat.lastIndexOf(")");
  if (close < 0) return undefined;
  const fields = stat.slice(close + 1).trim().split(/\s+/);
  // fields[0] is field 3 (state), so field 22 is fields[19].
  const start = fields[19];
  return start && /^[0-9]+$/.test(start) ? start : undefined;
}

/** Start time of a live process; `""` if it exists but cannot be read; undefined if gone. */
export function processStart(pid: number): string | undefined {
  if (!Number.isSafeInteger(pid) || pid <= 0) return undefined;
  const stat = read(`/proc/${pid}/stat`);
  if (stat) {
    // A zombie has exited: its owner is gone even though the pid is still taken.
    const state = stat.slice(stat.lastIndexOf(")") + 1).trim()[0];
    if (state === "Z" || state === "X") return undefined;
    return statStartTime(stat) ?? "";
  }
  try {
    process.kill(pid, 0);
    return "";
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM" ? "" : undefined;
  }
}

export function currentSession(): SessionId {
  return {
    host: hostId(),
    boot: bootId(),
    pid: process.pid,
    start: processStart(process.pid) ?? "",
  };
}

/** This host, read only when a session label is actually judged (most sweeps find none). */
export function hostView(): HostView {
  let host: string | undefined;
  let boot: string | undefined;
  return {
    get host() {
      return (host ??= hostId());
    },
    get boot() {
      return (boot ??= bootId());
    },
    processStart,
  };
}
