// Permission stores by name (SENTRY_PERMISSIONS_BACKEND, options SENTRY_PERMISSIONS_OPTIONS).

import { BackendRegistry, onlyOptions } from "../service.ts";
import { MemoryPermissionStore } from "./memory.ts";
import type { PermissionStore } from "./store.ts";

export type { PermissionStore } from "./store.ts";
export { PERMISSION_MAX_LENGTH, PermissionTooLong } from "./store.ts";

export const PERMISSION_STORES = new BackendRegistry<PermissionStore>(
  "sentryctl.permissions.PermissionStore",
);

PERMISSION_STORES.register("sentryctl.permissions.MemoryPermissionStore", (options) => {
  onlyOptions("MemoryPermissionStore", options, []);
  return new MemoryPermissionStore();
}, { aliases: ["memory"] });
