// Sentry's `services.Context`: the request a call happens for and the backend that is active
// for each service base. `copy()` is shallow: a secondary backend gets its own map, so marking
// itself active never leaks into the caller's context.

export class Context {
  constructor(
    readonly request: unknown = undefined,
    readonly backends: Map<string, unknown> = new Map(),
  ) {}

  copy(): Context {
    return new Context(this.request, new Map(this.backends));
  }
}
