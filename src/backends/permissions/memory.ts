// An in-memory permission store: the first backend of the store interface (and a test double).

import { PERMISSION_MAX_LENGTH, type PermissionStore, PermissionTooLong } from "./store.ts";

export class MemoryPermissionStore implements PermissionStore {
  readonly #rows = new Map<number, Set<string>>();

  add(userId: number, permission: string): Promise<boolean> {
    if (permission.length > PERMISSION_MAX_LENGTH) {
      return Promise.reject(new PermissionTooLong(permission));
    }
    const perms = this.#rows.get(userId) ?? new Set<string>();
    this.#rows.set(userId, perms);
    if (perms.has(permission)) return Promise.resolve(false);
    perms.add(permission);
    return Promise.resolve(true);
  }

  remove(userId: number, permission: string): Promise<boolean> {
    return Promise.resolve(this.#rows.get(userId)?.delete(permission) ?? false);
  }

  list(userId: number): Promise<string[]> {
    const perms = [...(this.#rows.get(userId) ?? [])];
    return Promise.resolve(perms.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  }
}
