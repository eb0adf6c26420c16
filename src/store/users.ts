// Sentry's user lookup for the `permissions` commands (`user_param_to_user` over `find_users`):
// username ignoring case first; if none and the value has an `@`, every user with that email
// (ignoring case); users whose password is exactly "!" never match. Then exactly one user, and a
// superuser, or one of Sentry's messages (exit 1).

import { failure } from "../errors.ts";
import type { Store, UserRow } from "./types.ts";

export async function findUsers(store: Store, value: string): Promise<UserRow[]> {
  const byName = await store.usersByUsername(value);
  if (byName.length > 0) return byName;
  if (value.includes("@")) return await store.usersByEmail(value);
  return [];
}

export async function userParamToUser(store: Store, value: string): Promise<UserRow> {
  const users = await findUsers(store, value);
  if (users.length === 0) throw failure(`No user matching \`${value}\``);
  if (users.length > 1) throw failure(`Found more than one user matching \`${value}\``);
  const user = users[0]!;
  if (!user.isSuperuser) {
    throw failure(`User \`${user.username}\` does not have superuser status`);
  }
  return user;
}
