// The order of the starts that publish host ports. A start takes ~0.6 s of a busy daemon's
// time, and a service others wait for (redis before its workers) holds up the whole chain behind
// it, so services go in tiers: the longest chain of dependents first, and the next tier once the
// higher one's starts have returned or had a head start of `headStartMs`, whichever comes first
// (and a more urgent service whose container is still being created is waited for, never longer
// than `graceMs`). The head start, not the whole start, is what the chain needs: waiting for
// redis's start to return left the engine's first ~0.6 s to that one start. Measured on the
// bench's 5 services through the API (two runs of 7 alternating rounds, docs/stack.md): the rest
// sent 150 ms after redis's start finished everything, the worker's probe included, 43–224 ms
// sooner than the whole-start tier; sending all at once was slowest. Within a tier, starts of
// fixed host ports run side by side: the engine binds an exact port atomically, and a conflict
// fails the one start that asked for it. A start that lets the engine pick the port (an isolated
// `with` run) is exclusive: engines allocate from port ranges non-atomically, and two concurrent
// starts can be handed the same port (docker compose serializes for that reason,
// reference/peers.md §1).

export interface GateTimers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: GateTimers = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

interface Waiter {
  /** What it will hold once it goes. */
  holder: Holder;
  seq: number;
  /** When it asked: an urgent service is waited for `graceMs` from then at most. */
  asked: number;
  go: () => void;
}

/**
 * How urgent each service is: the length of the longest chain of services that wait on it
 * (0 for a service nothing depends on).
 */
export function chainPriorities(
  after: ReadonlyMap<string, readonly string[]>,
): Map<string, number> {
  const dependents = new Map<string, string[]>();
  for (const [service, deps] of after) {
    for (const d of deps) dependents.set(d, [...(dependents.get(d) ?? []), service]);
  }
  const memo = new Map<string, number>();
  const depth = (s: string, seen: Set<string>): number => {
    const known = memo.get(s);
    if (known !== undefined) return known;
    if (seen.has(s)) return 0; // a cycle was refused by the planner; never loop here
    seen.add(s);
    const value = Math.max(-1, ...(dependents.get(s) ?? []).map((d) => depth(d, seen))) + 1;
    seen.delete(s);
    memo.set(s, value);
    return value;
  };
  return new Map([...after.keys()].map((s) => [s, depth(s, new Set())]));
}

interface Holder {
  priority: number;
  exclusive: boolean;
  /** When it got its turn: lower tiers wait `headStartMs` from then at most. */
  since: number;
}

export class StartGate {
  #seq = 0;
  #waiting: Waiter[] = [];
  #holders = new Set<Holder>();
  #expected = new Set<string>();
  #timer: unknown;

  constructor(
    private readonly priorities: ReadonlyMap<string, number>,
    private readonly graceMs = 200,
    private readonly timers: GateTimers = realTimers,
    private readonly headStartMs = 150,
  ) {}

  /** The service will ask soon: its container is about to be created. */
  expect(service: string): void {
    this.#expected.add(service);
  }

  /** It will not ask after all (it failed first, or was reused). */
  forget(service: string): void {
    if (this.#expected.delete(service)) this.#dispatch();
  }

  /** Runs `fn` when it is this service's turn; `exclusive`: with no other start at all. */
  async run<T>(service: string, fn: () => Promise<T>, exclusive = false): Promise<T> {
    this.#expected.delete(service);
    const holder: Holder = { priority: this.#priority(service), exclusive, since: 0 };
    await new Promise<void>((go) => {
      this.#waiting.push({
        holder,
        seq: this.#seq++,
        asked: this.timers.now(),
        go: () => {
          holder.since = this.timers.now();
          this.#holders.add(holder);
          go();
        },
      });
      this.#dispatch();
    });
    try {
      return await fn();
    } finally {
      this.#holders.delete(holder);
      this.#dispatch();
    }
  }

  #priority(service: string): number {
    return this.priorities.get(service) ?? 0;
  }

  #dispatch(): void {
    if (this.#timer !== undefined) {
      this.timers.clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    this.#waiting.sort((a, b) => b.holder.priority - a.holder.priority || a.seq - b.seq);
    while (this.#waiting.length > 0) {
      const waiter = this.#waiting[0]!;
      const next = waiter.holder;
      const holders = [...this.#holders];
      if (holders.some((h) => h.exclusive)) return;
      if (next.exclusive && holders.length > 0) return;
      const now = this.timers.now();
      // A higher tier's start in flight holds this one for the rest of its head start.
      const headStart = Math.max(
        0,
        ...holders.filter((h) => h.priority > next.priority).map((h) =>
          h.since + this.headStartMs - now
        ),
      );
      if (headStart > 0) return this.#later(headStart);
      const urgent = [...this.#expected].some((s) => this.#priority(s) > next.priority);
      const left = waiter.asked + this.graceMs - now;
      if (urgent && left > 0) return this.#later(left);
      this.#waiting.shift();
      waiter.go();
    }
  }

  /** Looks again in `ms`: a head start or a grace period ends then. */
  #later(ms: number): void {
    this.#timer = this.timers.setTimeout(() => {
      this.#timer = undefined;
      this.#dispatch();
    }, ms);
  }
}
