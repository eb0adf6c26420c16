// Opens the store a target names; each backend's module (and the Postgres client) is loaded
// only when that backend is used.

import { dirname } from "node:path";
import { ensureStateDir } from "../settings/state-dir.ts";
import type { DatabaseTarget } from "./select.ts";
import type { SqliteOptions } from "./sqlite.ts";
import type { Store } from "./types.ts";

export async function openStore(target: DatabaseTarget, opts: SqliteOptions = {}): Promise<Store> {
  if (target.kind === "postgres") {
    const { openPostgresStore } = await import("./postgres.ts");
    return await openPostgresStore(target.url, target.source);
  }
  ensureStateDir(dirname(target.path));
  const { openSqliteStore } = await import("./sqlite.ts");
  return await openSqliteStore(target.path, opts);
}
