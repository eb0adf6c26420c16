// The store of users and permissions (SPEC §6): one interface, two backends (SQLite by default,
// Sentry's own Postgres tables when asked). Rows are shaped like Sentry's `auth_user` and
// `sentry_userpermission`, so both backends answer the same questions the same way.

/** A row of `auth_user`, as far as sentryctl reads it. */
export interface UserRow {
  id: number;
  username: string;
  email: string;
  /** Django's encoded password (`pbkdf2_sha256$…`), `""` for none, `"!…"` for unusable. */
  password: string;
  isSuperuser: boolean;
  isStaff: boolean;
  isActive: boolean;
}

/** An `auth_user` row as either backend returns it (Postgres booleans, SQLite 0/1) → UserRow. */
export function userFromRow(row: Record<string, unknown>): UserRow {
  return {
    id: Number(row.id),
    username: String(row.username),
    email: String(row.email),
    password: String(row.password),
    isSuperuser: Boolean(row.is_superuser),
    isStaff: Boolean(row.is_staff),
    isActive: Boolean(row.is_active),
  };
}

export interface NewUser {
  username: string;
  email: string;
  password: string;
  isSuperuser: boolean;
  isStaff: boolean;
}

export interface Store {
  /** `sqlite:<path>` or the Postgres URL without its password, for messages. */
  readonly description: string;
  /** Inserts a user; returns undefined when the username is taken (case-sensitive, as Sentry). */
  createUser(user: NewUser): Promise<UserRow | undefined>;
  /** Overwrites an existing user's fields (`createuser --force-update`); false when absent. */
  updateUser(user: NewUser): Promise<boolean>;
  /** Users whose username equals `value` ignoring case, excluding password `"!"`. */
  usersByUsername(value: string): Promise<UserRow[]>;
  /** Users whose email equals `value` ignoring case, excluding password `"!"`. */
  usersByEmail(value: string): Promise<UserRow[]>;
  /** Adds a row; false when the pair already exists (Sentry's IntegrityError case). */
  addPermission(userId: number, permission: string): Promise<boolean>;
  /** Removes a row; false when there was none (Sentry's DoesNotExist case). */
  removePermission(userId: number, permission: string): Promise<boolean>;
  /** The user's permissions, ordered by name ascending. */
  listPermissions(userId: number): Promise<string[]>;
  close(): Promise<void>;
}

/** `UserPermission.permission` is a `CharField(max_length=32)`. */
export const PERMISSION_MAX_LENGTH = 32;
/** `User.username` is a `CharField(max_length=128)`; `email` is an `EmailField(max_length=200)`. */
export const USERNAME_MAX_LENGTH = 128;
export const EMAIL_MAX_LENGTH = 200;
