// The session label of a `with`/`attach` container (SPEC §3, §4): which process on which host
// owns it, so the next sentryctl that talks to Docker can tell a live session from an orphan.
// Pure: reading /proc lives in src/runtime/session.ts.

/** Who owns a container: the host, its boot, and the owning process's pid and start time. */
export interface SessionId {
  /** Stable per machine *and* container (a CI job in a container sharing the host's socket). */
  host: string;
  /** The kernel's boot id: a pid from an earlier boot means nothing now. */
  boot: string;
  pid: number;
  /** Process start time (clock ticks since boot on Linux); `""` when it cannot be read. */
  start: string;
}

/** What this machine can say about itself and its processes, now. */
export interface HostView {
  host: string;
  boot: string;
  /** The start time of a live process, `""` if alive but unreadable, undefined if no such pid. */
  processStart(pid: number): string | undefined;
}

const FIELD = /^[A-Za-z0-9._-]*$/;

/** `host=…;boot=…;pid=…;start=…`: short, greppable, and safe in a label value. */
export function formatSession(s: SessionId): string {
  for (const v of [s.host, s.boot, s.start]) {
    if (!FIELD.test(v)) {
      throw new Error(`session field '${v}' has characters outside [A-Za-z0-9._-]`);
    }
  }
  return `host=${s.host};boot=${s.boot};pid=${s.pid};start=${s.start}`;
}

/** The session a label names, or undefined when it is not one we wrote (never an orphan). */
export function parseSession(label: string | undefined): SessionId | undefined {
  if (!label) return undefined;
  const fields = new Map<string, string>();
  for (const part of label.split(";")) {
    const eq = part.indexOf("=");
    if (eq <= 0) return undefined;
    fields.set(part.slice(0, eq), part.slice(eq + 1));
  }
  const host = fields.get("host");
  const boot = fields.get("boot");
  const pidText = fields.get("pid");
  const start = fields.get("start");
  if (!host || boot === undefined || !pidText || start === undefined) return undefined;
  if (!/^[1-9][0-9]{0,9}$/.test(pidText)) return undefined;
  if (![host, boot, start].every((v) => FIELD.test(v))) return undefined;
  return { host, boot, pid: Number(pidText), start };
}

export type Verdict =
  | { orphan: false; reason: "other-host" | "alive" | "unreadable-label" }
  | { orphan: true; reason: "rebooted" | "no-process" | "pid-reused" };

/**
 * Decides whether a session's owner is gone. Only sessions of this very host are judged: a shared
 * or remote engine holds other hosts' sessions, and we cannot see their processes.
 */
export function judgeSession(label: string | undefined, here: HostView): Verdict {
  const session = parseSession(label);
  if (!session) return { orphan: false, reason: "unreadable-label" };
  if (session.host !== here.host) return { orphan: false, reason: "other-host" };
  if (session.boot !== "" && here.boot !== "" && session.boot !== here.boot) {
    return { orphan: true, reason: "rebooted" };
  }
  const start = here.processStart(session.pid);
  if (start === undefined) return { orphan: true, reason: "no-process" };
  // Either side unknown: a live pid is given the benefit of the doubt.
  if (session.start !== "" && start !== "" && start !== session.start) {
    return { orphan: true, reason: "pid-reused" };
  }
  return { orphan: false, reason: "alive" };
}
