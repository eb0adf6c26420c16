// Sentry's `Delegator`: one call fans out to several backends of the same base. A selector picks
// the backends by name (first = primary); secondaries are submitted first, each with a copy of
// the Context, and run without blocking the caller; the primary runs last and its result (or
// error) is what the caller gets. When every call has settled, the callback receives the context,
// the method, the arguments, the names and the results. A backend calling back into a delegator
// of its own base gets itself (re-entrancy through `context.backends`).

import { AsyncLocalStorage } from "node:async_hooks";
import { reprString } from "../lib/python.ts";
import { type Logger, NULL_LOGGER } from "../logging/logger.ts";
import { Context } from "./context.ts";
import { InvalidBackend } from "./service.ts";

/** The thread-local `Delegator.__state` of Sentry, as async context. */
const state = new AsyncLocalStorage<{ context: Context }>();

/** The context of the backend call in progress, if any (for backends and tests). */
export function currentContext(): Context | undefined {
  return state.getStore()?.context;
}

export type Selector = (context: Context, method: string, args: unknown[]) => Iterable<string>;
export type DelegatorCallback = (
  context: Context,
  method: string,
  args: unknown[],
  names: string[],
  results: (PromiseSettledResult<unknown> | undefined)[],
) => void;

export interface DelegatorOptions {
  callback?: DelegatorCallback;
  logger?: Logger;
  /** Errors a method declares (Sentry's `@raises`): not logged when a secondary throws them. */
  raises?: Record<string, (err: unknown) => boolean>;
}

export class Delegator<T extends object> {
  constructor(
    /** An instance of the base: its methods are what can be delegated. */
    private readonly base: T,
    private readonly baseName: string,
    private readonly backends: Readonly<Record<string, T>>,
    private readonly selector: Selector,
    private readonly opts: DelegatorOptions = {},
  ) {}

  /** The delegating object: methods of the base route to backends, other attributes are the base's. */
  proxy(): T {
    return new Proxy(this.base, {
      get: (target, name) => {
        if (!(name in target)) {
          throw new TypeError(`${this.baseName} has no attribute ${String(name)}`);
        }
        const value = (target as Record<PropertyKey, unknown>)[name];
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => this.execute(String(name), args);
      },
    });
  }

  execute(method: string, args: unknown[]): unknown {
    const context = currentContext() ?? new Context();
    const active = context.backends.get(this.baseName) as T | undefined;
    if (active) return call(active, method, args);

    const names = [...this.selector(context, method, args)];
    if (names.length === 0) throw new InvalidBackend("No backends returned by selector!");
    const [primaryName, ...secondaryNames] = names as [string, ...string[]];
    const primary = this.backends[primaryName];
    if (!primary) {
      throw new InvalidBackend(`${reprString(primaryName)} is not a registered backend.`);
    }

    const results: (Promise<unknown> | undefined)[] = [undefined];
    for (const name of secondaryNames) {
      const backend = this.backends[name];
      if (!backend) {
        this.logger.warning(`${reprString(name)} is not a registered backend and will be ignored.`);
        results.push(undefined);
        continue;
      }
      results.push(this.#submitSecondary(context.copy(), name, backend, method, args));
    }
    let value: unknown;
    let failed = false;
    try {
      value = this.#callIn(context, primary, method, args);
      results[0] = Promise.resolve(value);
    } catch (err) {
      failed = true;
      value = err;
      results[0] = Promise.reject(err);
    }
    this.#whenSettled(context, method, args, names, results);
    if (failed) throw value;
    return value;
  }

  get logger(): Logger {
    return this.opts.logger ?? NULL_LOGGER;
  }

  /** Runs on the microtask queue: the caller does not wait for secondaries. */
  #submitSecondary(context: Context, name: string, backend: T, method: string, args: unknown[]) {
    return new Promise<unknown>((resolve) => queueMicrotask(() => resolve(undefined))).then(() =>
      this.#callIn(context, backend, method, args)
    ).catch((err: unknown) => {
      if (!this.opts.raises?.[method]?.(err)) {
        const type = err instanceof Error ? err.name : typeof err;
        this.logger.warning(
          `${type} caught in executor while calling ${reprString(method)} on ${name}.`,
        );
      }
      throw err;
    });
  }

  /** `call_backend_method`: the backend is marked active in the context it runs in. */
  #callIn(context: Context, backend: T, method: string, args: unknown[]): unknown {
    return state.run({ context }, () => {
      context.backends.set(this.baseName, backend);
      return call(backend, method, args);
    });
  }

  #whenSettled(
    context: Context,
    method: string,
    args: unknown[],
    names: string[],
    results: (Promise<unknown> | undefined)[],
  ): void {
    const settled = Promise.all(
      results.map((r) =>
        r
          ? r.then(
            (v) => ({ status: "fulfilled", value: v }),
            (e) => ({ status: "rejected", reason: e }),
          )
          : undefined
      ),
    ) as Promise<(PromiseSettledResult<unknown> | undefined)[]>;
    const callback = this.opts.callback;
    settled.then((all) => callback?.(context, method, args, names, all)).catch((err) =>
      this.logger.warning("delegator callback failed", { error: err })
    );
  }
}

function call(backend: object, method: string, args: unknown[]): unknown {
  const fn = (backend as Record<string, unknown>)[method];
  if (typeof fn !== "function") {
    throw new TypeError(`${backend.constructor.name} has no method ${method}`);
  }
  return fn.apply(backend, args);
}
