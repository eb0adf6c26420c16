// A service's log as the status server streams it: the recent backlog (bounded, and the
// stream says when earlier lines were left out), then followed live through the logs API
// across restarts, dropped connections and re-creation. Every read after the first resumes at
// the exact entry where the last one stopped (docker/log-cursor.ts), so no line is lost, repeated or
// reordered, and a restart is marked only when the container really started again.

import type { Readable } from "node:stream";
import type { ContainerInspect } from "../docker/types.ts";
import type { LogsOptions } from "../docker/engine.ts";
import { DEFAULT_LOG_TAIL, type LogLine } from "./deps.ts";
import { LogCursor } from "../docker/log-cursor.ts";
import { EntryDecoder, LineJoiner, type LogEntry } from "./log-entries.ts";

export interface ServiceLogDeps {
  logs(id: string, opts: LogsOptions): Promise<Readable>;
  inspectContainer(id: string): Promise<ContainerInspect | undefined>;
  /** The service's container name. */
  container(): string;
  /** Resolves after the service's cached state changes or `ms` pass; false once aborted. */
  changed(signal: AbortSignal, ms: number): Promise<boolean>;
}

/** Docker's StartedAt of a container that never ran. */
const NEVER = "0001-01-01T00:00:00Z";

export async function* serviceLog(
  deps: ServiceLogDeps,
  service: string,
  signal: AbortSignal,
  tail: number | "all" = DEFAULT_LOG_TAIL,
): AsyncIterable<LogLine> {
  let cursor = new LogCursor();
  let joiner = new LineJoiner(false);
  let id: string | undefined;
  /** StartedAt of the run being followed. */
  let run: string | undefined;
  let first = true;
  /** The run whose log Docker refused to read (already said). */
  let told: string | undefined;
  const inspect = () => deps.inspectContainer(deps.container()).catch(() => undefined);
  const cut = function* (): Iterable<LogLine> {
    for (const l of joiner.flush()) yield { kind: "line", ...l };
  };
  while (!signal.aborted) {
    const c = await inspect();
    if (signal.aborted) return;
    if (!c) {
      // No container yet (or removed): whatever is created next is new from its first line.
      first = false;
      if (!(await deps.changed(signal, 1000))) return;
      continue;
    }
    if (c.Id !== id) {
      if (id !== undefined) {
        yield* cut();
        yield { kind: "restart", at: Date.now() };
      }
      id = c.Id;
      cursor = new LogCursor();
      joiner = new LineJoiner(c.Config.Tty);
      run = undefined;
      if (first && tail !== "all") {
        yield* backlog(deps, c, cursor, joiner, service, tail, signal);
      }
    }
    first = false;
    const started = c.State.StartedAt;
    if (run !== undefined && run !== NEVER && started !== run) {
      yield* cut();
      yield { kind: "restart", at: Date.now() };
    }
    run = started;
    let refused: string | undefined;
    const stream = await deps.logs(c.Id, {
      follow: true,
      since: cursor.since(),
      tail: "all",
      timestamps: true,
      signal,
    }).catch((err: unknown) => {
      refused = err instanceof Error ? err.message : String(err);
      return undefined;
    });
    if (signal.aborted) return;
    // Docker's reason, once per run (e.g. a log driver it cannot read back), never silence.
    if (refused !== undefined && told !== `${c.Id} ${started}`) {
      told = `${c.Id} ${started}`;
      yield { kind: "notice", text: `cannot read the log: ${refused}` };
    }
    let got = 0;
    if (stream) {
      cursor.resume();
      const decoder = new EntryDecoder(c.Config.Tty);
      const out: LogLine[] = [];
      const take = (entries: LogEntry[]) => {
        got += entries.length;
        for (const e of entries) {
          if (!cursor.take(e.stamp)) continue;
          const text = joiner.push(e);
          if (text !== undefined) out.push({ kind: "line", stream: e.stream, text });
        }
      };
      try {
        for await (const chunk of stream as AsyncIterable<Uint8Array>) {
          take(decoder.push(chunk));
          for (const l of out) yield l;
          out.length = 0;
        }
      } catch {
        // A dropped connection or the abort: decided below.
      } finally {
        stream.destroy();
      }
      if (signal.aborted) return;
      take(decoder.end());
      yield* out;
    }
    // The stream ended: the container stopped, or the connection dropped while it runs on
    // (then the next read resumes at once, with no restart mark).
    for (;;) {
      const now = await inspect();
      if (signal.aborted) return;
      if (!now || now.Id !== id || now.State.StartedAt !== run) break;
      if (now.State.Running) {
        // Nothing read at all: not a moment's drop; do not ask again at once.
        if (got === 0 && !(await deps.changed(signal, stream ? 250 : 2000))) return;
        break;
      }
      if (!(await deps.changed(signal, 1000))) return;
    }
  }
}

/** The last `tail` lines already logged, after a notice when there were more. */
async function* backlog(
  deps: ServiceLogDeps,
  c: ContainerInspect,
  cursor: LogCursor,
  joiner: LineJoiner,
  service: string,
  tail: number,
  signal: AbortSignal,
): AsyncIterable<LogLine> {
  let stream: Readable;
  try {
    // One entry more than shown tells whether anything earlier was left out.
    stream = await deps.logs(c.Id, { follow: false, tail: tail + 1, timestamps: true, signal });
  } catch {
    return; // the follow that comes next reads from the start
  }
  const decoder = new EntryDecoder(c.Config.Tty);
  const entries: LogEntry[] = [];
  try {
    for await (const chunk of stream as AsyncIterable<Uint8Array>) {
      entries.push(...decoder.push(chunk));
    }
  } catch {
    // Cut short: what arrived is shown; the follow resumes after it.
  }
  entries.push(...decoder.end());
  const left = entries.length > tail ? entries.length - tail : 0;
  if (left > 0) {
    yield {
      kind: "notice",
      text: `earlier lines are not shown: only the last ${tail} lines ` +
        `(all of them: ?tail=all, or \`sentryctl logs ${service}\`)`,
    };
  }
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    cursor.take(e.stamp);
    if (i < left) continue;
    const text = joiner.push(e);
    if (text !== undefined) yield { kind: "line", stream: e.stream, text };
  }
}
