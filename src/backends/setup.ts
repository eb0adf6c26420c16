// `setup_services(validate=...)`: build the service wrappers from settings, then for each service
// in order call `validate()` (unless skipped) and `setup()`. Sentry's texts for a service that
// cannot be called; a backend's `InvalidConfiguration` becomes a configuration error (exit 3).

import { configError } from "../errors.ts";
import type { Logger } from "../logging/logger.ts";
import type { DatabaseTarget } from "../store/select.ts";
import { METRICS_BACKENDS, type MetricsBackend } from "./metrics/index.ts";
import { PERMISSION_STORES, type PermissionStore } from "./permissions/index.ts";
import { type BackendRegistry, InvalidConfiguration, LazyServiceWrapper } from "./service.ts";

export interface Services {
  metrics: LazyServiceWrapper<MetricsBackend>;
  permissions: LazyServiceWrapper<PermissionStore>;
}

interface Slot {
  /** The module name Sentry would report (`sentry.metrics`). */
  module: string;
  key: keyof Services;
  setting: string;
  optionsSetting: string;
  registry: BackendRegistry<any>;
}

/** The services, in the order they are validated and set up. */
export const SERVICE_SLOTS: readonly Slot[] = [
  {
    module: "sentry.metrics",
    key: "metrics",
    setting: "SENTRY_METRICS_BACKEND",
    optionsSetting: "SENTRY_METRICS_OPTIONS",
    registry: METRICS_BACKENDS,
  },
  {
    module: "sentryctl.permissions",
    key: "permissions",
    setting: "SENTRY_PERMISSIONS_BACKEND",
    optionsSetting: "SENTRY_PERMISSIONS_OPTIONS",
    registry: PERMISSION_STORES,
  },
];

export function buildServices(
  settings: Record<string, unknown>,
  logger: Logger,
  warn: (text: string) => void,
  database?: () => DatabaseTarget,
): Services {
  const wrappers = SERVICE_SLOTS.map((slot) =>
    [
      slot.key,
      new LazyServiceWrapper({
        registry: slot.registry,
        setting: slot.setting,
        path: settings[slot.setting],
        options: settings[slot.optionsSetting],
        ctx: { settings, logger, database },
        warn,
      }),
    ] as const
  );
  return Object.fromEntries(wrappers) as unknown as Services;
}

/** The presence of either variable skips `validate()` (its value is ignored); `setup()` always runs. */
export function skipValidation(env: Record<string, string | undefined>): boolean {
  return "SENTRY_SKIP_BACKEND_VALIDATION" in env || "SENTRY_SKIP_SERVICE_VALIDATION" in env;
}

export async function setupServices(services: Services, validate: boolean): Promise<void> {
  for (const slot of SERVICE_SLOTS) {
    const service = services[slot.key];
    if (validate) await callService(slot, "validate", () => service.validate());
    await callService(slot, "setup", () => service.setup());
  }
}

async function callService(slot: Slot, method: "validate" | "setup", fn: () => unknown) {
  try {
    await fn();
  } catch (err) {
    if (err instanceof InvalidConfiguration) {
      throw configError(`${slot.setting}: ${err.message}`, {
        hint: `check ${slot.setting} and ${slot.optionsSetting}`,
        cause: err,
      });
    }
    // Sentry's AttributeError case: the service cannot be called at all.
    if (err instanceof TypeError) {
      throw configError(`${slot.module} service failed to call ${method}()\n${err.message}`, {
        cause: err,
      });
    }
    throw err;
  }
}
