// The fake engine's streams: attach (live output until the container dies), logs (stamped or
// not, followed or not), a stats sample and the event stream filtered by labels.

import { PassThrough, type Readable } from "node:stream";
import type { Engine, EventsOptions, LogsOptions } from "../../../src/docker/engine.ts";
import type { EngineEvent, EngineStats } from "../../../src/docker/types.ts";
import { FakeContainers } from "./containers.ts";
import { engineError, type FakeContainer, logFrame, matchesLabels } from "./state.ts";

export class FakeStreams extends FakeContainers {
  /**
   * The attach endpoint: live output only (what is logged from now on, no timestamps) until the
   * container next dies; opened on a created container it waits for the start, as Docker's does.
   * A test sets it to undefined to play an engine reached over TLS.
   */
  attachOutput: Engine["attachOutput"] = (id: string, signal?: AbortSignal) => {
    this.maybeFail("attachOutput");
    const c = this.find(id);
    if (!c) return Promise.reject(engineError("not_found", "No such container", 404));
    this.calls.push(`attach ${c.inspect.Name.slice(1)}`);
    const out = new PassThrough();
    let sent = c.logs.length;
    this.#untilDeath(c, out, signal, () => {
      while (sent < c.logs.length) out.write(logFrame(c.logs[sent++]!, false));
    });
    return Promise.resolve(out);
  };

  logs(id: string, opts: LogsOptions): Promise<Readable> {
    this.maybeFail("logs");
    const c = this.find(id);
    if (!c) return Promise.reject(engineError("not_found", "No such container", 404));
    const out = new PassThrough();
    const frame = (l: FakeContainer["logs"][number]) => logFrame(l, opts.timestamps ?? false);
    let sent = 0;
    const flush = () => {
      while (sent < c.logs.length) out.write(frame(c.logs[sent++]!));
    };
    flush();
    if (!opts.follow || !c.inspect.State.Running) {
      out.end();
      return Promise.resolve(out);
    }
    this.#untilDeath(c, out, opts.signal, flush);
    return Promise.resolve(out);
  }

  /**
   * A live stream of `c`'s output (attach, a followed log): `onLog` runs on every line logged,
   * and `out` ends when the container next dies or is destroyed, or `signal` aborts.
   */
  #untilDeath(
    c: FakeContainer,
    out: PassThrough,
    signal: AbortSignal | undefined,
    onLog: () => void,
  ) {
    const onEvent = (e: EngineEvent) => {
      if (e.Actor.ID === c.inspect.Id && (e.Action === "die" || e.Action === "destroy")) end();
    };
    const end = () => {
      this.emitter.off(`log:${c.inspect.Id}`, onLog);
      this.emitter.off("event", onEvent);
      out.end();
    };
    this.emitter.on(`log:${c.inspect.Id}`, onLog);
    this.emitter.on("event", onEvent);
    signal?.addEventListener("abort", end, { once: true });
  }

  stats(id: string): Promise<EngineStats> {
    this.maybeFail("stats");
    if (!this.find(id)) return Promise.reject(engineError("not_found", "No such container", 404));
    return Promise.resolve({
      read: new Date().toISOString(),
      memory_stats: { usage: 1024 * 1024, limit: 1024 * 1024 * 1024 },
    });
  }

  async *events(opts: EventsOptions): AsyncIterable<EngineEvent> {
    const queue: EngineEvent[] = [];
    let wake: (() => void) | undefined;
    const onEvent = (e: EngineEvent) => {
      if (!matchesLabels(e.Actor.Attributes, opts.labels)) return;
      queue.push(e);
      wake?.();
    };
    const onAbort = () => wake?.();
    this.emitter.on("event", onEvent);
    opts.signal.addEventListener("abort", onAbort, { once: true });
    try {
      while (!opts.signal.aborted) {
        if (queue.length === 0) await new Promise<void>((r) => (wake = r));
        while (queue.length > 0) yield queue.shift()!;
      }
    } finally {
      this.emitter.off("event", onEvent);
      opts.signal.removeEventListener("abort", onAbort);
    }
  }
}
