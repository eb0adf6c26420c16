// `logs`: the project's container logs through the logs API. Several services (or none named)
// get every line prefixed `service | `. With `follow`, an events subscription (opened before
// the listing, so no start is missed) picks a container up again when Docker restarts it or
// when it is recreated, resuming after the last line printed.

import type { Engine } from "../docker/engine.ts";
import { LogCursor } from "../docker/log-cursor.ts";
import { type Clock, realClock } from "../runtime/clock.ts";
import type { Writer } from "../runtime/io.ts";
import { streamLogs } from "./log-follow.ts";
import { listMembers, scopeFilter, serviceOf, type StackScope } from "./scope.ts";
import { byText } from "../lib/order.ts";

export interface LogsRequest {
  /** Whose containers (./scope.ts): a project file's include what docker compose made. */
  scope: StackScope;
  names: readonly string[];
  follow: boolean;
  tail?: number;
  /** Unix seconds. */
  since?: number;
  timestamps: boolean;
  stdout: Writer;
  stderr: Writer;
  signal: AbortSignal;
  clock?: Clock;
}

/** The pause before a stream that ended is looked at again (no busy loop on one that fails). */
const REFOLLOW_PAUSE_MS = 100;

/** Writes complete lines with a prefix; a partial line waits for its end. */
export class PrefixWriter implements Writer {
  #partial = "";
  readonly #decoder = new TextDecoder();
  constructor(private readonly sink: Writer, private readonly prefix: string) {}

  write(data: string | Uint8Array): void {
    const text = this.#partial +
      (typeof data === "string" ? data : this.#decoder.decode(data, { stream: true }));
    const end = text.lastIndexOf("\n");
    if (end < 0) {
      this.#partial = text;
      return;
    }
    this.#partial = text.slice(end + 1);
    const lines = text.slice(0, end).split("\n");
    this.sink.write(lines.map((l) => `${this.prefix}${l}\n`).join(""));
  }

  flush(): void {
    if (this.#partial) this.sink.write(`${this.prefix}${this.#partial}\n`);
    this.#partial = "";
  }
}

/** Resolves when every requested log has been printed (or, following, when `signal` aborts). */
export async function showLogs(engine: Engine, req: LogsRequest): Promise<string[]> {
  const clock = req.clock ?? realClock;
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  req.signal.addEventListener("abort", onAbort, { once: true });
  const events = req.follow
    ? engine.events({ labels: [scopeFilter(req.scope)], signal: stop.signal })[
      Symbol.asyncIterator
    ]()
    : undefined;
  // Open the events stream now: starts that happen during the listing are not lost.
  const firstEvent = events?.next();
  const listed = await listMembers(engine, req.scope);
  const wanted = new Set(req.names);
  const chosen = listed
    .map((m) => ({ id: m.summary.Id, service: m.service }))
    .filter((c) => wanted.size === 0 || wanted.has(c.service))
    .sort((a, b) => byText(a.service, b.service));
  const prefixed = wanted.size !== 1;
  const width = Math.max(
    0,
    ...chosen.map((c) => c.service.length),
    ...req.names.map((n) => n.length),
  );
  const sinks = new Map<string, { stdout: PrefixWriter | Writer; stderr: PrefixWriter | Writer }>();
  const sinksFor = (service: string) => {
    let s = sinks.get(service);
    if (!s) {
      s = prefixed
        ? {
          stdout: new PrefixWriter(req.stdout, `${service.padEnd(width)} | `),
          stderr: new PrefixWriter(req.stderr, `${service.padEnd(width)} | `),
        }
        : { stdout: req.stdout, stderr: req.stderr };
      sinks.set(service, s);
    }
    return s;
  };
  /** Where each container's log was left, to resume exactly there when it starts again. */
  const cursors = new Map<string, LogCursor>();
  let failure: unknown;
  const active = new Map<string, Promise<void>>();
  const follow = (id: string, service: string, first: boolean) => {
    if (active.has(id)) return;
    const run = (async () => {
      let cursor = cursors.get(id);
      const resuming = cursor?.stamp !== undefined;
      if (!cursor) cursors.set(id, cursor = new LogCursor());
      const inspect = await engine.inspectContainer(id);
      if (!inspect) return;
      const { stdout, stderr } = sinksFor(service);
      // The follower wants back-pressure-aware sinks (log-follow.ts); these writers take all.
      const asSink = (w: Writer) => ({
        write: (d: Uint8Array) => (w.write(d), true),
        drained: () => Promise.resolve(),
      });
      const sink = { stdout: asSink(stdout), stderr: asSink(stderr) };
      await streamLogs(engine, id, inspect.Config.Tty, sink, {
        since: resuming ? cursor.since() : first ? req.since : undefined,
        tail: first && !resuming ? req.tail : undefined,
        cursor,
        showTimestamps: req.timestamps,
        follow: req.follow,
        signal: stop.signal,
      }).catch((err: unknown) => {
        // Ending the follow, or a container removed while followed (recreated), is no failure;
        // anything else is Docker saying why it cannot show this log (`--log-driver none`).
        const gone = (err as { reason?: string }).reason === "not_found" && req.follow;
        if (stop.signal.aborted || gone) return;
        failure ??= err;
        stop.abort();
      });
      for (const w of [sink.stdout, sink.stderr]) if (w instanceof PrefixWriter) w.flush();
    })().finally(async () => {
      active.delete(id);
      // A restart that began before this stream ended sent its start event too early for us.
      if (req.follow && !stop.signal.aborted) {
        const paused = await clock.sleep(REFOLLOW_PAUSE_MS, stop.signal).then(
          () => true,
          () => false,
        );
        if (!paused) return;
        const now = await engine.inspectContainer(id).catch(() => undefined);
        if (now?.State.Running && !stop.signal.aborted) follow(id, service, false);
      }
    });
    active.set(id, run);
  };
  for (const c of chosen) follow(c.id, c.service, true);
  if (!events) {
    await Promise.all(active.values());
    req.signal.removeEventListener("abort", onAbort);
    if (failure) throw failure;
    return chosen.map((c) => c.service);
  }
  // Following: pick containers up again on every start until interrupted.
  try {
    let next = firstEvent!;
    for (;;) {
      const { value, done } = await next;
      if (done || stop.signal.aborted) break;
      // An event's attributes carry the container's labels: the same rule decides.
      const service = serviceOf(req.scope, value.Actor.Attributes);
      if (value.Action === "start" && service && (wanted.size === 0 || wanted.has(service))) {
        follow(value.Actor.ID, service, false);
      }
      next = events.next();
    }
  } finally {
    stop.abort();
    await Promise.all(active.values());
    req.signal.removeEventListener("abort", onAbort);
  }
  if (failure) throw failure;
  return chosen.map((c) => c.service);
}
