// The Postgres store: Sentry's own tables (`auth_user`, `sentry_userpermission`) in a Sentry
// database, so `permissions add` works against a real Sentry dev database. sentryctl never creates
// or migrates these tables (Sentry's migrations own them). The client is `postgres` (pure JS, no
// dependencies), imported only when this store is used.

import { failure } from "../errors.ts";
import { type NewUser, type Store, userFromRow, type UserRow } from "./types.ts";

type Sql = import("postgres").Sql;

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "<invalid URL>";
  }
}

/** @param source what selected Postgres (`--database`, `SENTRYCTL_DATABASE_URL`, `DATABASES`) */
export async function openPostgresStore(url: string, source = "--database"): Promise<Store> {
  const { default: postgres } = await import("postgres");
  const description = redactUrl(url);
  let sql: Sql;
  try {
    sql = postgres(url, {
      max: 1,
      connect_timeout: 10,
      onnotice: () => {},
      // No named prepared statements: each command runs a handful of one-shot queries, and this
      // also works through pgbouncer in transaction mode. (bigint ids are cast to text in SQL.)
      prepare: false,
    });
  } catch (err) {
    throw failure(`invalid database URL ${description}: ${(err as Error).message}`, {
      hint: "the form is postgres://USER:PASSWORD@HOST:PORT/DBNAME",
    });
  }
  const store = new PostgresStore(sql, description, source);
  try {
    await store.check();
  } catch (err) {
    await sql.end({ timeout: 0 }).catch(() => {});
    throw err;
  }
  return store;
}

const USER_COLUMNS = "id::text AS id, username, email, password, is_superuser, is_staff, is_active";

/** A value for a NOT NULL column without a database default that sentryctl does not know. */
function fillerFor(dataType: string): unknown {
  if (dataType === "boolean") return false;
  if (/int|numeric|double|real/.test(dataType)) return 0;
  if (dataType.startsWith("timestamp") || dataType === "date") return new Date();
  if (/char|text/.test(dataType)) return "";
  if (dataType === "jsonb" || dataType === "json") return {};
  return undefined;
}

class PostgresStore implements Store {
  #requiredColumns: Map<string, string> | undefined;

  constructor(
    private readonly sql: Sql,
    readonly description: string,
    private readonly source: string,
  ) {}

  /** Connects once and checks that Sentry's tables are there, with clear messages if not. */
  async check(): Promise<void> {
    const rows = await this.#run(() =>
      this.sql`SELECT to_regclass('auth_user')::text AS users,
                      to_regclass('sentry_userpermission')::text AS perms`
    );
    const missing = [
      rows[0]?.users ? undefined : "auth_user",
      rows[0]?.perms ? undefined : "sentry_userpermission",
    ].filter(Boolean);
    if (missing.length > 0) {
      throw failure(
        `the database ${this.description} has no table ${missing.join(" or ")}`,
        { hint: "it is not a Sentry database yet: run Sentry's migrations (`sentry upgrade`)" },
      );
    }
  }

  async #run<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw this.#translate(err);
    }
  }

  #translate(err: unknown): Error {
    const e = err as { code?: string; message?: string; errno?: string };
    if (e.code === "ECONNREFUSED" || e.code === "ENOTFOUND" || e.code === "CONNECT_TIMEOUT") {
      return failure(`cannot connect to Postgres at ${this.description}: ${e.message ?? e.code}`, {
        hint: `start it (e.g. \`sentryctl attach postgres\`) or fix ${this.#selectedBy()}`,
        cause: err,
      });
    }
    if (e.code === "28P01" || e.code === "28000" || e.code === "3D000") {
      return failure(`Postgres refused ${this.description}: ${e.message}`, {
        hint: "check the user, password and database name in the URL",
        cause: err,
      });
    }
    // Any other server error (a Sentry schema this code does not expect, a constraint): report
    // it with its SQLSTATE instead of as a sentryctl bug.
    if (typeof e.code === "string" && /^[0-9A-Z]{5}$/.test(e.code)) {
      return failure(`Postgres error on ${this.description}: ${e.message} (SQLSTATE ${e.code})`, {
        hint: "is this a Sentry database at a schema sentryctl knows? (see README: Store)",
        cause: err,
      });
    }
    if (err instanceof Error) return err;
    return new Error(String(err));
  }

  /** Where the URL came from, so the hint names what to change. */
  #selectedBy(): string {
    return this.source === "DATABASES"
      ? "DATABASES in your settings file (without it the local SQLite store is used)"
      : this.source;
  }

  /** NOT NULL columns of auth_user without a database default (they differ between versions). */
  async #required(): Promise<Map<string, string>> {
    if (this.#requiredColumns) return this.#requiredColumns;
    const rows = await this.sql`
      SELECT column_name, data_type FROM information_schema.columns
      WHERE table_name = 'auth_user' AND table_schema = current_schema()
        AND is_nullable = 'NO' AND column_default IS NULL`;
    this.#requiredColumns = new Map(rows.map((r) => [String(r.column_name), String(r.data_type)]));
    return this.#requiredColumns;
  }

  async createUser(user: NewUser): Promise<UserRow | undefined> {
    return await this.#run(async () => {
      const now = new Date();
      const row: Record<string, unknown> = {
        password: user.password,
        username: user.username,
        email: user.email,
        is_staff: user.isStaff,
        is_superuser: user.isSuperuser,
        is_active: true,
        date_joined: now,
        last_active: now,
      };
      // Sentry's Django defaults live in Python, not in the table: fill them the way Django would
      // (false, 0, '', now) for whatever NOT NULL columns this Sentry version has.
      for (const [column, type] of await this.#required()) {
        if (column === "id" || column in row) continue;
        const value = fillerFor(type);
        if (value !== undefined) row[column] = value;
      }
      const columns = Object.keys(row);
      const rows = await this.sql`
        INSERT INTO auth_user ${this.sql(row as Record<string, never>, columns)}
        ON CONFLICT (username) DO NOTHING
        RETURNING ${this.sql.unsafe(USER_COLUMNS)}`;
      return rows[0] ? userFromRow(rows[0]) : undefined;
    });
  }

  async updateUser(user: NewUser): Promise<boolean> {
    const rows = await this.#run(() =>
      this.sql`
        UPDATE auth_user SET password = ${user.password}, email = ${user.email},
          is_staff = ${user.isStaff}, is_superuser = ${user.isSuperuser}, is_active = true
        WHERE username = ${user.username} RETURNING id`
    );
    return rows.length > 0;
  }

  async usersByUsername(value: string): Promise<UserRow[]> {
    // Django's `__iexact` on Postgres: UPPER(column) = UPPER(value).
    const rows = await this.#run(() =>
      this.sql`SELECT ${this.sql.unsafe(USER_COLUMNS)} FROM auth_user
               WHERE UPPER(username::text) = UPPER(${value}) AND password <> '!' ORDER BY id`
    );
    return rows.map(userFromRow);
  }

  async usersByEmail(value: string): Promise<UserRow[]> {
    const rows = await this.#run(() =>
      this.sql`SELECT ${this.sql.unsafe(USER_COLUMNS)} FROM auth_user
               WHERE UPPER(email::text) = UPPER(${value}) AND password <> '!' ORDER BY id`
    );
    return rows.map(userFromRow);
  }

  async addPermission(userId: number, permission: string): Promise<boolean> {
    // One statement is its own transaction; ON CONFLICT makes concurrent adds of the same pair
    // end with one row and no error (Sentry catches the IntegrityError instead).
    const rows = await this.#run(() =>
      this.sql`INSERT INTO sentry_userpermission (user_id, permission)
               VALUES (${userId}, ${permission})
               ON CONFLICT (user_id, permission) DO NOTHING RETURNING id`
    );
    return rows.length > 0;
  }

  async removePermission(userId: number, permission: string): Promise<boolean> {
    const rows = await this.#run(() =>
      this.sql`DELETE FROM sentry_userpermission
               WHERE user_id = ${userId} AND permission = ${permission} RETURNING id`
    );
    return rows.length > 0;
  }

  async listPermissions(userId: number): Promise<string[]> {
    // COLLATE "C": the same byte order as the SQLite store, whatever the database's locale.
    const rows = await this.#run(() =>
      this.sql`SELECT permission FROM sentry_userpermission WHERE user_id = ${userId}
               ORDER BY permission COLLATE "C"`
    );
    return rows.map((r) => String(r.permission));
  }

  async close(): Promise<void> {
    await this.sql.end({ timeout: 5 });
  }
}
