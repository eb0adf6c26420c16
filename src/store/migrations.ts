// Versioned schema migrations of the SQLite store. `PRAGMA user_version` holds the version; each
// migration runs in the same write transaction that checks the version, so processes that open a
// fresh database at the same moment apply it exactly once. Append new steps; never edit old ones.
// Table and column names follow Sentry's (`auth_user`, `sentry_userpermission`) so the same queries
// serve both backends.

export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: "users and permissions",
    sql: `
      CREATE TABLE auth_user (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        password VARCHAR(128) NOT NULL,
        last_login TEXT NULL,
        username VARCHAR(128) NOT NULL UNIQUE,
        first_name VARCHAR(200) NOT NULL DEFAULT '',
        email VARCHAR(200) NOT NULL DEFAULT '',
        is_staff INTEGER NOT NULL DEFAULT 0,
        is_active INTEGER NOT NULL DEFAULT 1,
        is_superuser INTEGER NOT NULL DEFAULT 0,
        is_managed INTEGER NOT NULL DEFAULT 0,
        is_password_expired INTEGER NOT NULL DEFAULT 0,
        date_joined TEXT NOT NULL,
        last_active TEXT NULL
      );
      CREATE TABLE sentry_userpermission (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id INTEGER NOT NULL REFERENCES auth_user (id) ON DELETE CASCADE,
        permission VARCHAR(32) NOT NULL,
        UNIQUE (user_id, permission)
      );
    `,
  },
];

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** The migrations to run on a database at `current`, in order. */
export function pendingMigrations(current: number): Migration[] {
  return MIGRATIONS.filter((m) => m.version > current);
}
