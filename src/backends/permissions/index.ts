// Permission stores by name (SENTRY_PERMISSIONS_BACKEND, options SENTRY_PERMISSIONS_OPTIONS).

import { BackendRegistry, InvalidConfiguration, onlyOptions } from "../service.ts";
import { MemoryPermissionStore } from "./memory.ts";
import { StorePermissionStore } from "./store-adapter.ts";
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

// The default: sentryctl's store. Option `database` (a postgres:// URL or sqlite:PATH) overrides
// the selection the services step passes in (--database > SENTRYCTL_DATABASE_URL > DATABASES >
// SQLite in the state directory).
PERMISSION_STORES.register("sentryctl.permissions.StorePermissionStore", (options, ctx) => {
  onlyOptions("StorePermissionStore", options, ["database"]);
  const database = options.database;
  if (database !== undefined && typeof database !== "string") {
    throw new InvalidConfiguration("StorePermissionStore option 'database' must be a string");
  }
  return new StorePermissionStore(async () => {
    const { parseDatabaseUrl } = await import("../../store/select.ts");
    const { openStore } = await import("../../store/open.ts");
    const target = database !== undefined
      ? parseDatabaseUrl(database, "SENTRY_PERMISSIONS_OPTIONS database")
      : ctx.database?.();
    if (!target) throw new InvalidConfiguration("StorePermissionStore has no database to use");
    return await openStore(target);
  });
}, { aliases: ["store"] });
