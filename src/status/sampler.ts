// CPU/memory history for the dashboard charts. Docker's stats stream costs the engine work, so
// sampling runs only while at least one dashboard is connected (acquire/release), one loop
// per running service, and keeps the last few minutes per service.

import type { ServicesSource, UsageSample } from "./deps.ts";

export class StatsSampler {
  #viewers = 0;
  #loops = new Map<string, AbortController>();
  #history = new Map<string, UsageSample[]>();
  #unsubscribe?: () => void;
  #listeners = new Set<() => void>();

  constructor(
    private readonly services: ServicesSource,
    private readonly windowMs = 5 * 60_000,
  ) {}

  history(name: string): UsageSample[] {
    return this.#history.get(name) ?? [];
  }

  get active(): boolean {
    return this.#viewers > 0;
  }

  /** Registers a viewer; sampling starts with the first. Returns the release function. */
  acquire(onSample: () => void): () => void {
    this.#listeners.add(onSample);
    if (this.#viewers++ === 0) {
      this.#unsubscribe = this.services.subscribe(() => this.#sync());
      this.#sync();
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#listeners.delete(onSample);
      if (--this.#viewers === 0) {
        this.#unsubscribe?.();
        for (const c of this.#loops.values()) c.abort();
        this.#loops.clear();
      }
    };
  }

  #sync(): void {
    const running = new Set(
      this.services.list().filter((s) => s.state === "running").map((s) => s.service),
    );
    for (const [name, c] of this.#loops) {
      if (!running.has(name)) {
        c.abort();
        this.#loops.delete(name);
      }
    }
    for (const name of running) {
      if (!this.#loops.has(name)) this.#start(name);
    }
  }

  #start(name: string): void {
    const controller = new AbortController();
    this.#loops.set(name, controller);
    void (async () => {
      try {
        for await (const sample of this.services.stats(name, controller.signal)) {
          const list = this.#history.get(name) ?? [];
          list.push(sample);
          while (list.length > 0 && list[0]!.at < sample.at - this.windowMs) list.shift();
          this.#history.set(name, list);
          for (const l of this.#listeners) l();
        }
      } catch {
        // The container went away or the engine closed the stream; #sync restarts it.
      } finally {
        if (this.#loops.get(name) === controller) this.#loops.delete(name);
      }
    })();
  }
}
