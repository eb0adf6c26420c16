// A small engine for log followers that keeps Docker's rules for the logs API: `since`
// inclusive, `tail` in entries, a follow ends when the container stops, stamps that several
// entries may share, and (`dropEvery`) a connection that drops after so many entries while the
// container runs on. For the status server's log stream and for `logs -f`/attach alike.

import { PassThrough, type Readable } from "node:stream";
import { compareTimestamps } from "../../src/docker/demux.ts";
import type { LogsOptions } from "../../src/docker/engine.ts";
import type { ContainerInspect } from "../../src/docker/types.ts";

export interface Entry {
  stream: "stdout" | "stderr";
  stamp: string;
  text: string;
}

/** Stamps with nanoseconds; `i` entries per nanosecond share one. */
export const stampOf = (ns: number) =>
  `2026-01-02T03:04:05.${String(100_000_000 + ns).slice(0, 9)}Z`;

export class LogEngine {
  entries: Entry[] = [];
  running = true;
  startedAt = "2026-01-02T03:04:00Z";
  tty = false;
  id = "c1";
  /** The exit code once stopped. */
  exitCode = 0;
  /** A follow ends after this many entries, as if the connection dropped. */
  dropEvery = Infinity;
  #followers = new Set<() => void>();
  opened: LogsOptions[] = [];

  add(text: string, opts: { stream?: "stdout" | "stderr"; stamp?: string } = {}): void {
    const ns = this.entries.length;
    this.entries.push({ stream: opts.stream ?? "stdout", stamp: opts.stamp ?? stampOf(ns), text });
    for (const f of this.#followers) f();
  }

  /** Lines "1".."n", each `perStamp` in a row sharing one stamp. */
  addNumbered(n: number, perStamp: number): void {
    for (let i = 0; i < n; i++) {
      this.add(`${i + 1}\n`, { stamp: stampOf(Math.floor(i / perStamp)) });
    }
  }

  stop(): void {
    this.running = false;
    for (const f of this.#followers) f();
  }

  inspect(): ContainerInspect {
    return {
      Id: this.id,
      Config: { Tty: this.tty, Labels: {} },
      State: {
        Running: this.running,
        Restarting: false,
        Status: this.running ? "running" : "exited",
        ExitCode: this.running ? 0 : this.exitCode,
        StartedAt: this.startedAt,
      },
      HostConfig: { RestartPolicy: { Name: "no" } },
    } as unknown as ContainerInspect;
  }

  /** The container by its id (a follower's view); `undefined` for any other id. */
  inspectContainer(id: string): Promise<ContainerInspect | undefined> {
    return Promise.resolve(id === this.id ? this.inspect() : undefined);
  }

  ping(): Promise<void> {
    return Promise.resolve();
  }

  frame(e: Entry): Buffer {
    const payload = Buffer.from(`${e.stamp} ${e.text}`);
    if (this.tty) return payload;
    const header = Buffer.alloc(8);
    header[0] = e.stream === "stderr" ? 2 : 1;
    header.writeUInt32BE(payload.length, 4);
    return Buffer.concat([header, payload]);
  }

  logs(_id: string, opts: LogsOptions): Promise<Readable> {
    this.opened.push(opts);
    const out = new PassThrough();
    const since = opts.since === undefined ? undefined : String(opts.since);
    let list = this.entries.filter((e) =>
      since === undefined || compareTimestamps(e.stamp, sinceStamp(since)) >= 0
    );
    if (typeof opts.tail === "number") list = list.slice(Math.max(0, list.length - opts.tail));
    let sent = 0;
    let next = this.entries.indexOf(list[0]!);
    if (next < 0) next = this.entries.length;
    const pump = () => {
      while (next < this.entries.length) {
        if (sent >= this.dropEvery) return finish();
        out.write(this.frame(this.entries[next++]!));
        sent++;
      }
      if (!opts.follow || !this.running) finish();
    };
    const finish = () => {
      this.#followers.delete(pump);
      out.end();
    };
    this.#followers.add(pump);
    opts.signal?.addEventListener("abort", finish, { once: true });
    queueMicrotask(pump);
    return Promise.resolve(out);
  }
}

/** `<sec>.<nanos>` back to a stamp, for the fake's comparisons. */
function sinceStamp(since: string): string {
  const [sec, ns] = since.split(".");
  const base = new Date(Number(sec) * 1000).toISOString().slice(0, 19);
  return `${base}.${(ns ?? "0").padEnd(9, "0")}Z`;
}
