// Sentry's `ServiceDelegator`: a backend that is itself several backends behind a `Delegator`,
// configured from settings as
//   SENTRY_X_BACKEND = "sentry.utils.services.ServiceDelegator"
//   SENTRY_X_OPTIONS = { backend_base, backends: { name: { path, options } }, selector_func }
// `validate()`, `setup()` and `flush()` call every backend's. Selectors are named (Python imports a
// function by path; sentryctl offers the two a dev setup needs).

import { reprString } from "../lib/python.ts";
import { isMapping } from "../lib/values.ts";
import { Delegator, type Selector } from "./delegator.ts";
import {
  type BackendFactory,
  type BackendRegistry,
  InvalidConfiguration,
  onlyOptions,
  type Service,
} from "./service.ts";

export const SERVICE_DELEGATOR = "sentry.utils.services.ServiceDelegator";

/** Named selectors: given the configured backend names (in order), which ones a call goes to. */
export const SELECTORS: Readonly<Record<string, (names: readonly string[]) => Selector>> = {
  /** Every backend: the first is the primary, the others are secondaries. */
  "sentryctl.backends.selectors.all": (names) => () => names,
  /** Only the first backend. */
  "sentryctl.backends.selectors.primary": (names) => () => names.slice(0, 1),
};

/** A factory for the registry's ServiceDelegator entry; `makeBase` gives the base's methods. */
export function serviceDelegatorFactory<T extends object>(
  registry: BackendRegistry<T>,
  makeBase: () => T,
): BackendFactory<T> {
  return (options, ctx) => {
    onlyOptions("ServiceDelegator", options, [
      "backend_base",
      "backends",
      "selector_func",
      "callback_func",
    ]);
    if (!isMapping(options.backends) || Object.keys(options.backends).length === 0) {
      throw new InvalidConfiguration(
        "ServiceDelegator needs `backends`: a mapping of names to {path, options}",
      );
    }
    const instances: Record<string, T> = {};
    for (const [name, spec] of Object.entries(options.backends)) {
      if (!isMapping(spec) || typeof spec.path !== "string") {
        throw new InvalidConfiguration(
          `ServiceDelegator backend ${reprString(name)} needs a \`path\``,
        );
      }
      const entry = registry.resolve(spec.path);
      if (!entry || entry.path === SERVICE_DELEGATOR) {
        throw new InvalidConfiguration(
          `ServiceDelegator backend ${reprString(name)}: unknown backend ${reprString(spec.path)}`,
        );
      }
      instances[name] = entry.factory(isMapping(spec.options) ? spec.options : {}, ctx);
    }
    const selectorName = options.selector_func ?? "sentryctl.backends.selectors.all";
    const makeSelector = SELECTORS[String(selectorName)];
    if (!makeSelector) {
      throw new InvalidConfiguration(
        `ServiceDelegator: unknown selector_func ${reprString(String(selectorName))} (known: ${
          Object.keys(SELECTORS).join(", ")
        })`,
      );
    }
    if (options.callback_func !== undefined && options.callback_func !== null) {
      throw new InvalidConfiguration(
        "ServiceDelegator: callback_func is not supported by sentryctl",
      );
    }
    const names = Object.keys(instances);
    const delegator = new Delegator(makeBase(), registry.base, instances, makeSelector(names), {
      logger: ctx.logger.child("sentry.utils.services"),
    });
    const proxy = delegator.proxy();
    const each = (method: "validate" | "setup" | "flush") => async () => {
      for (const backend of Object.values(instances)) {
        await (backend as Service & { flush?(): Promise<void> })[method]?.();
      }
    };
    return new Proxy(proxy, {
      get: (target, name) => {
        if (name === "validate" || name === "setup" || name === "flush") return each(name);
        return (target as Record<PropertyKey, unknown>)[name];
      },
    });
  };
}
