// The default store: SQLite at `<state dir>/sentryctl.db` through the runtime adapter's
// `node:sqlite`. Every write is one short `BEGIN IMMEDIATE` transaction with a busy timeout, so
// concurrent sentryctl processes queue instead of failing, and SQLite's journal makes a process
// killed mid-transaction leave the file as it was before that transaction.

import { closeSync, existsSync, openSync, unlinkSync } from "node:fs";
import { dirname } from "node:path";
import { failure, isSentryctlError } from "../errors.ts";
import { openSqlite, type SqliteDatabase } from "../runtime/adapter.ts";
import { LATEST_VERSION, pendingMigrations } from "./migrations.ts";
import { type NewUser, type Store, userFromRow, type UserRow } from "./types.ts";

/** How long a writer waits for another process's transaction before giving up. */
const BUSY_TIMEOUT_MS = 30_000;

export interface SqliteOptions {
  /**
   * Test hook: block this long inside the permission-add transaction, after the insert and
   * before the commit, so a test can kill the process mid-transaction.
   */
  pauseInTransactionMs?: number;
}

export async function openSqliteStore(path: string, opts: SqliteOptions = {}): Promise<Store> {
  let db: SqliteDatabase;
  let created = false;
  try {
    // The file holds password hashes: create it owner-only before SQLite does (its journal files
    // take the database file's mode).
    if (!existsSync(path)) {
      closeSync(openSync(path, "a", 0o600));
      created = true;
    }
    db = await openSqlite(path);
  } catch (err) {
    throw failure(`cannot open the store ${path}: ${(err as Error).message}`, {
      hint: "check that the state directory is writable",
      cause: err,
    });
  }
  try {
    db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.exec("PRAGMA foreign_keys = ON");
    // Django's `__iexact` on Postgres compares UPPER() of both sides; SQLite's own upper() and
    // NOCASE fold ASCII only, so `Ädmin` would miss `ädmin`. JavaScript's full Unicode upper case.
    db.function(
      "sentryctl_upper",
      { deterministic: true },
      (v) => (typeof v === "string" ? v.toUpperCase() : v),
    );
    migrate(db, path);
  } catch (err) {
    db.close();
    // A store that could not even get its tables (a full disk) is not left behind half-made.
    if (created) unlinkQuietly(path);
    throw storeError(path, err);
  }
  return new SqliteStore(db, path, opts);
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Not there: nothing to undo.
  }
}

/** SQLite's own errors (not a database, locked past the timeout, disk full) as one failure. */
function storeError(path: string, err: unknown): unknown {
  if (isSentryctlError(err) || !(err instanceof Error)) return err;
  return failure(`the store ${path}: ${err.message}`, {
    hint: storeHint(path, err),
    cause: err,
  });
}

function storeHint(path: string, err: Error): string {
  const text = `${err.message} ${(err as { code?: unknown }).code ?? ""}`;
  if (/not a database|malformed/.test(text)) {
    return "the file is damaged or not sentryctl's: move it aside and a new one is created";
  }
  if (/disk is full|SQLITE_FULL|ENOSPC/i.test(text)) {
    return `the file system holding ${dirname(path)} is full: free some space there`;
  }
  if (/readonly|read-only|SQLITE_READONLY|EROFS/i.test(text)) {
    return `${path} or its directory is read-only`;
  }
  if (/locked|busy/i.test(text)) return "another sentryctl holds it: try again";
  return "another sentryctl may hold it, or the disk is full or read-only";
}

function migrate(db: SqliteDatabase, path: string): void {
  const version = () => Number(db.prepare("PRAGMA user_version").get()!.user_version);
  // Fast path without a write lock: an up-to-date database is only read.
  if (version() === LATEST_VERSION) return;
  transaction(db, () => {
    const current = version();
    if (current > LATEST_VERSION) {
      throw failure(
        `the store ${path} has schema version ${current}; this sentryctl knows up to ${LATEST_VERSION}`,
        { hint: "use a newer sentryctl, or another state directory" },
      );
    }
    for (const m of pendingMigrations(current)) {
      db.exec(m.sql);
      db.exec(`PRAGMA user_version = ${m.version}`);
    }
  });
}

function transaction<T>(db: SqliteDatabase, fn: () => T): T {
  db.exec("BEGIN IMMEDIATE");
  try {
    const result = fn();
    db.exec("COMMIT");
    return result;
  } catch (err) {
    // SQLite rolls back by itself after some errors (SQLITE_FULL, SQLITE_IOERR); a ROLLBACK then
    // fails with "no transaction is active" and must not hide the error that caused it.
    try {
      db.exec("ROLLBACK");
    } catch {
      // Already rolled back.
    }
    throw err;
  }
}

const USER_COLUMNS = "id, username, email, password, is_superuser, is_staff, is_active";

/** Runs synchronous SQLite work so that a thrown error becomes a rejection, like the Postgres store's. */
function settle<T>(path: string, fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (err) {
    return Promise.reject(storeError(path, err));
  }
}

function blockFor(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

class SqliteStore implements Store {
  readonly description: string;
  readonly #path: string;

  constructor(
    private readonly db: SqliteDatabase,
    path: string,
    private readonly opts: SqliteOptions,
  ) {
    this.description = `sqlite:${path}`;
    this.#path = path;
  }

  createUser(user: NewUser): Promise<UserRow | undefined> {
    return settle(this.#path, () => {
      const now = new Date().toISOString();
      const row = this.db.prepare(
        `INSERT INTO auth_user (password, username, email, is_staff, is_active, is_superuser,
           date_joined, last_active)
         VALUES (?, ?, ?, ?, 1, ?, ?, ?)
         ON CONFLICT (username) DO NOTHING
         RETURNING ${USER_COLUMNS}`,
      ).get(
        user.password,
        user.username,
        user.email,
        user.isStaff ? 1 : 0,
        user.isSuperuser ? 1 : 0,
        now,
        now,
      );
      return row ? userFromRow(row) : undefined;
    });
  }

  updateUser(user: NewUser): Promise<boolean> {
    return settle(this.#path, () => {
      const result = this.db.prepare(
        `UPDATE auth_user SET password = ?, email = ?, is_staff = ?, is_superuser = ?,
           is_active = 1
         WHERE username = ?`,
      ).run(
        user.password,
        user.email,
        user.isStaff ? 1 : 0,
        user.isSuperuser ? 1 : 0,
        user.username,
      );
      return Number(result.changes) > 0;
    });
  }

  usersByUsername(value: string): Promise<UserRow[]> {
    return settle(this.#path, () => this.#users("username", value));
  }

  usersByEmail(value: string): Promise<UserRow[]> {
    return settle(this.#path, () => this.#users("email", value));
  }

  #users(column: "username" | "email", value: string): UserRow[] {
    // A scan: the local store holds a handful of users.
    return this.db.prepare(
      `SELECT ${USER_COLUMNS} FROM auth_user
       WHERE sentryctl_upper(${column}) = sentryctl_upper(?) AND password <> '!' ORDER BY id`,
    ).all(value).map(userFromRow);
  }

  addPermission(userId: number, permission: string): Promise<boolean> {
    return settle(this.#path, () =>
      transaction(this.db, () => {
        const result = this.db.prepare(
          `INSERT INTO sentry_userpermission (user_id, permission) VALUES (?, ?)
           ON CONFLICT (user_id, permission) DO NOTHING`,
        ).run(userId, permission);
        if (this.opts.pauseInTransactionMs) blockFor(this.opts.pauseInTransactionMs);
        return Number(result.changes) > 0;
      }));
  }

  removePermission(userId: number, permission: string): Promise<boolean> {
    return settle(this.#path, () => {
      const result = this.db.prepare(
        "DELETE FROM sentry_userpermission WHERE user_id = ? AND permission = ?",
      ).run(userId, permission);
      return Number(result.changes) > 0;
    });
  }

  listPermissions(userId: number): Promise<string[]> {
    return settle(this.#path, () =>
      this.db.prepare(
        "SELECT permission FROM sentry_userpermission WHERE user_id = ? ORDER BY permission",
      ).all(userId).map((r) => String(r.permission)));
  }

  close(): Promise<void> {
    this.db.close();
    return Promise.resolve();
  }
}
