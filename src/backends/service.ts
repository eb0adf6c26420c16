// Sentry's `utils/services.py`, typed: a `Service` has `validate()` and `setup()`; a backend is
// chosen by name from settings (`LazyServiceWrapper`). Python imports a dotted path; sentryctl
// keeps a registry of known names per service (Sentry's dotted paths map to TS classes), so a
// later backend (statsd, prometheus, SQL stores) plugs in with one `register` call.

import { configError } from "../errors.ts";
import { reprString } from "../lib/python.ts";
import type { Logger } from "../logging/logger.ts";
import type { DatabaseTarget } from "../store/select.ts";

export interface Service {
  /** Raise `InvalidConfiguration` on bad configuration. */
  validate?(): void | Promise<void>;
  setup?(): void | Promise<void>;
}

/** A backend's own complaint about its configuration (Sentry's `InvalidConfiguration`). */
export class InvalidConfiguration extends Error {
  override name = "InvalidConfiguration";
}

/** Selection failed: no backend, or an unregistered one (Sentry's `InvalidBackend`). */
export class InvalidBackend extends Error {
  override name = "InvalidBackend";
}

/** What a backend constructor may read besides its own options. */
export interface BackendContext {
  settings: Record<string, unknown>;
  logger: Logger;
  /** The store a backend should use unless its options name one (see src/store/select.ts). */
  database?: () => DatabaseTarget;
}

export type BackendFactory<T> = (options: Record<string, unknown>, ctx: BackendContext) => T;

interface Entry<T> {
  path: string;
  factory: BackendFactory<T>;
  dangerous: boolean;
}

export class BackendRegistry<T> {
  readonly #entries = new Map<string, Entry<T>>();
  readonly #canonical: string[] = [];

  /** @param base the base class path, as Sentry names it (used in messages) */
  constructor(readonly base: string) {}

  /** Registers a backend under its Sentry-style dotted path plus short aliases. */
  register(
    path: string,
    factory: BackendFactory<T>,
    opts: { aliases?: string[]; dangerous?: boolean } = {},
  ): this {
    const entry = { path, factory, dangerous: opts.dangerous ?? false };
    for (const name of [path, ...(opts.aliases ?? [])]) this.#entries.set(name, entry);
    this.#canonical.push(path);
    return this;
  }

  resolve(name: string): Entry<T> | undefined {
    return this.#entries.get(name);
  }

  names(): readonly string[] {
    return this.#canonical;
  }
}

/** Rejects option names a backend does not take (Python raises TypeError on unknown kwargs). */
export function onlyOptions(
  backend: string,
  options: Record<string, unknown>,
  allowed: readonly string[],
): void {
  const extra = Object.keys(options).filter((k) => !allowed.includes(k));
  if (extra.length > 0) {
    throw new InvalidConfiguration(
      `${backend} got unexpected option${extra.length > 1 ? "s" : ""} ${
        extra.map(reprString).join(", ")
      }` + (allowed.length ? ` (it takes ${allowed.join(", ")})` : " (it takes none)"),
    );
  }
}

export interface WrapperSpec<T> {
  registry: BackendRegistry<T>;
  /** The setting that names the backend, for messages (e.g. SENTRY_METRICS_BACKEND). */
  setting: string;
  path: unknown;
  options: unknown;
  ctx: BackendContext;
  /** Receives Sentry's UnsupportedBackend warning for a backend marked dangerous. */
  warn?(text: string): void;
}

/** A lazy proxy to the backend a setting names; the backend is built on first use, once. */
export class LazyServiceWrapper<T extends object> {
  #instance: T | undefined;

  constructor(private readonly spec: WrapperSpec<T>) {}

  get path(): string {
    return String(this.spec.path);
  }

  /** `_setup()`: resolve the name, warn if it is not meant for production, construct. */
  get instance(): T {
    if (this.#instance) return this.#instance;
    const { registry, setting, path, options } = this.spec;
    if (typeof path !== "string") {
      throw configError(`${setting} must be a backend name, got ${typeof path}`);
    }
    const entry = registry.resolve(path);
    if (!entry) {
      throw configError(`${setting}: unknown backend ${reprString(path)}`, {
        hint: `known backends: ${registry.names().join(", ")}`,
      });
    }
    if (
      options !== undefined &&
      (typeof options !== "object" || options === null || Array.isArray(options))
    ) {
      throw configError(`${setting.replace(/_BACKEND$/, "_OPTIONS")} must be a mapping`);
    }
    if (entry.dangerous) {
      this.spec.warn?.(
        `UnsupportedBackend: The ${
          reprString(path)
        } backend for <class '${registry.base}'> is not recommended for production use.`,
      );
    }
    this.#instance = entry.factory((options ?? {}) as Record<string, unknown>, this.spec.ctx);
    return this.#instance;
  }

  /** Sentry's `expose()`: an object whose methods forward, lazily, to the configured backend. */
  expose(): T {
    return new Proxy({} as T, {
      get: (_target, name) => {
        const value = (this.instance as Record<PropertyKey, unknown>)[name];
        return typeof value === "function" ? value.bind(this.instance) : value;
      },
    });
  }

  validate(): void | Promise<void> {
    const instance = this.instance as Service;
    return instance.validate?.();
  }

  setup(): void | Promise<void> {
    const instance = this.instance as Service;
    return instance.setup?.();
  }
}
