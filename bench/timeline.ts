// Where a cold `up` spends its time, from the engine's own record (bench/up.ts with
// BENCH_TIMELINE=1): the engine's events for one project between the client's spawn and its
// exit, as milliseconds after the spawn — when each container's start was answered, when each
// `exec` probe's process ended — and which start came last. What follows the last start until
// the client exits is what the client adds at the end (its last probe, its exit); the engine
// cannot overlap it with anything.

import { median } from "./stack-check.ts";

/** One engine event, as `GET /events` gives it (the fields used here). */
export interface EngineEvent {
  Type?: string;
  Action?: string;
  timeNano?: number;
  Actor?: { Attributes?: Record<string, string> };
}

export interface Mark {
  /** Milliseconds after the spawn. */
  at: number;
  service: string;
  what: "start" | "exec";
}

export interface Timeline {
  marks: Mark[];
  /** The service whose start the engine answered last, if any started. */
  lastStart?: string;
  /** From the last start to the client's exit, ms. */
  afterLastStart?: number;
}

/**
 * The marks of a project's containers (named `<prefix><service>`), in time order, relative to
 * `spawnMs` (epoch ms), and what came after the last start until `exitMs`.
 */
export function timelineOf(
  events: readonly EngineEvent[],
  prefix: string,
  spawnMs: number,
  exitMs: number,
): Timeline {
  const marks: Mark[] = [];
  for (const e of events) {
    if (e.Type !== "container" || e.timeNano === undefined) continue;
    const action = e.Action ?? "";
    const what = action === "start" ? "start" : action.startsWith("exec_die") ? "exec" : null;
    const name = e.Actor?.Attributes?.name ?? "";
    if (!what || !name.startsWith(prefix)) continue;
    // timeNano (~1.8e18) is past a double's exact integers: whole microseconds are exact enough.
    const at = Math.round((e.timeNano / 1e6 - spawnMs) * 1000) / 1000;
    // Before the spawn: an earlier run of the same project.
    if (at < 0) continue;
    marks.push({ at, service: name.slice(prefix.length), what });
  }
  marks.sort((a, b) => a.at - b.at);
  const starts = marks.filter((m) => m.what === "start");
  const last = starts.at(-1);
  return {
    marks,
    lastStart: last?.service,
    afterLastStart: last ? exitMs - spawnMs - last.at : undefined,
  };
}

/**
 * Over many runs: how often each service's start came last, and the median time from the last
 * start to the exit (`timeline: start answered last: worker 7/9, …; … median 93 ms`).
 */
export function summariseTimelines(timelines: readonly Timeline[]): string {
  const last = new Map<string, number>();
  for (const t of timelines) {
    if (t.lastStart) last.set(t.lastStart, (last.get(t.lastStart) ?? 0) + 1);
  }
  const after = timelines.map((t) => t.afterLastStart).filter((x): x is number => x !== undefined);
  return `timeline: start answered last: ${
    [...last].map(([service, n]) => `${service} ${n}/${timelines.length}`).join(", ")
  }; from the last start to sentryctl's exit: median ${median(after).toFixed(0)} ms`;
}

/** One line: `redis start 612 · redis exec 752 · … · exit 2561`. */
export function formatTimeline(t: Timeline, exitAfter: number): string {
  const parts = t.marks.map((m) => `${m.service} ${m.what} ${m.at.toFixed(0)}`);
  return [...parts, `exit ${exitAfter.toFixed(0)}`].join(" · ");
}

/** The engine's events between two epoch-ms instants whose containers carry `label`. */
export async function engineEvents(
  socket: string,
  sinceMs: number,
  untilMs: number,
  label: string,
): Promise<EngineEvent[]> {
  const seconds = (ms: number) => (ms / 1000).toFixed(3);
  const filters = encodeURIComponent(JSON.stringify({ type: ["container"], label: [label] }));
  const res = await fetch(
    `http://docker/events?since=${seconds(sinceMs)}&until=${seconds(untilMs)}&filters=${filters}`,
    { unix: socket } as RequestInit,
  );
  const text = await res.text();
  if (!res.ok) throw new Error(`GET /events: ${res.status} ${text.slice(0, 300)}`);
  // A stream of JSON objects, one per line.
  return text.split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l) as EngineEvent);
}
