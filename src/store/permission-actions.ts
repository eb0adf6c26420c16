// Sentry's `sentry permissions add|remove|list` over the store: user lookup, then one row
// operation, with Sentry's messages. Returns the lines to print; lookup failures throw (exit 1).

import { failure } from "../errors.ts";
import { PERMISSION_MAX_LENGTH, type Store } from "./types.ts";
import { userParamToUser } from "./users.ts";

export interface PermissionResult {
  lines: string[];
  warnings: string[];
}

export async function addPermission(
  store: Store,
  userParam: string,
  permission: string,
  known: readonly string[],
): Promise<PermissionResult> {
  const user = await userParamToUser(store, userParam);
  // Sentry's CLI does not validate names; sentryctl accepts them too, but says so.
  const warnings = known.includes(permission) ? [] : [
    `unknown permission \`${permission}\` (known: ${known.join(", ")}); adding it anyway`,
  ];
  // Sentry's column is varchar(32): Postgres would refuse a longer name mid-insert.
  if (permission.length > PERMISSION_MAX_LENGTH) {
    throw failure(
      `Permission names have at most ${PERMISSION_MAX_LENGTH} characters, got ${permission.length}`,
    );
  }
  const added = await store.addPermission(user.id, permission);
  return {
    lines: [
      added
        ? `Added permission \`${permission}\` to \`${user.username}\``
        : `Permission already exists for \`${user.username}\``,
    ],
    warnings,
  };
}

export async function removePermission(
  store: Store,
  userParam: string,
  permission: string,
): Promise<PermissionResult> {
  const user = await userParamToUser(store, userParam);
  const removed = await store.removePermission(user.id, permission);
  return {
    lines: [
      removed
        ? `Removed permission \`${permission}\` from \`${user.username}\``
        : `Permission does not exist for \`${user.username}\``,
    ],
    warnings: [],
  };
}

export async function listPermissions(store: Store, userParam: string): Promise<PermissionResult> {
  const user = await userParamToUser(store, userParam);
  const perms = await store.listPermissions(user.id);
  return {
    lines: [`Permissions for \`${user.username}\`:`, ...perms.map((p) => `- ${p}`)],
    warnings: [],
  };
}
