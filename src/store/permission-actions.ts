// Sentry's `sentry permissions add|remove|list` over the store: user lookup, then one row
// operation, with Sentry's messages. Returns the lines to print; lookup failures throw (exit 1).

import { failure } from "../errors.ts";
import { StorePermissionStore } from "../backends/permissions/store-adapter.ts";
import { PermissionTooLong } from "../backends/permissions/store.ts";
import type { Store } from "./types.ts";
import { userParamToUser } from "./users.ts";

export interface PermissionResult {
  lines: string[];
  warnings: string[];
}

function permissions(store: Store): StorePermissionStore {
  return new StorePermissionStore(() => Promise.resolve(store));
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
  let added: boolean;
  try {
    added = await permissions(store).add(user.id, permission);
  } catch (err) {
    if (err instanceof PermissionTooLong) throw failure(err.message, { cause: err });
    throw err;
  }
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
  const removed = await permissions(store).remove(user.id, permission);
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
  const perms = await permissions(store).list(user.id);
  return {
    lines: [`Permissions for \`${user.username}\`:`, ...perms.map((p) => `- ${p}`)],
    warnings: [],
  };
}
