// The permission store backed by sentryctl's store (src/store/): SQLite by default, Sentry's own
// Postgres tables when asked. The store is opened on first use, not when the services are set up,
// so a command that never touches permissions never opens a database.

import type { Store } from "../../store/types.ts";
import { PERMISSION_MAX_LENGTH, type PermissionStore, PermissionTooLong } from "./store.ts";

export class StorePermissionStore implements PermissionStore {
  #store: Promise<Store> | undefined;

  constructor(private readonly open: () => Promise<Store>) {}

  #get(): Promise<Store> {
    this.#store ??= this.open();
    return this.#store;
  }

  async add(userId: number, permission: string): Promise<boolean> {
    if (permission.length > PERMISSION_MAX_LENGTH) throw new PermissionTooLong(permission);
    return await (await this.#get()).addPermission(userId, permission);
  }

  async remove(userId: number, permission: string): Promise<boolean> {
    return await (await this.#get()).removePermission(userId, permission);
  }

  async list(userId: number): Promise<string[]> {
    return await (await this.#get()).listPermissions(userId);
  }

  /** Closes the store if it was opened. */
  async close(): Promise<void> {
    if (this.#store) await (await this.#store).close();
  }
}
