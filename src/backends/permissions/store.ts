// The permission store (Sentry's `sentry_userpermission` rows: user id + permission name, unique
// together). Asynchronous because the SQLite and Postgres stores behind it are.

import type { Service } from "../service.ts";

import { PERMISSION_MAX_LENGTH } from "../../store/types.ts";

export { PERMISSION_MAX_LENGTH };

export interface PermissionStore extends Service {
  /** Adds a row; false when the user already has it (Sentry's IntegrityError case). */
  add(userId: number, permission: string): Promise<boolean>;
  /** Removes a row; false when there was none (Sentry's DoesNotExist case). */
  remove(userId: number, permission: string): Promise<boolean>;
  /** The user's permissions, ordered by name ascending. */
  list(userId: number): Promise<string[]>;
}

export class PermissionTooLong extends Error {
  override name = "PermissionTooLong";
  constructor(permission: string) {
    super(
      `Permission names have at most ${PERMISSION_MAX_LENGTH} characters, got ${permission.length}`,
    );
  }
}
