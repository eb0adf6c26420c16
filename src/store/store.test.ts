import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LATEST_VERSION, MIGRATIONS, pendingMigrations } from "./migrations.ts";
import { parseDatabaseUrl, postgresFromDatabases, selectDatabase } from "./select.ts";
import { openSqliteStore } from "./sqlite.ts";
import { findUsers, userParamToUser } from "./users.ts";
import { redactUrl } from "./postgres.ts";

const tempDb = () => join(mkdtempSync(join(tmpdir(), "sentryctl-unit-store-")), "s.db");

describe("store selection", () => {
  const stateDir = "/state";
  const pgDatabases = {
    default: {
      ENGINE: "sentry.db.postgres",
      NAME: "sentry",
      USER: "postgres",
      PASSWORD: "",
      HOST: "",
      PORT: "",
    },
  };

  test("--database > SENTRYCTL_DATABASE_URL > the user's DATABASES > SQLite in the state dir", () => {
    const env = { SENTRYCTL_DATABASE_URL: "postgres://e@h/db" };
    assert.deepEqual(
      selectDatabase({ flag: "postgres://f@h/db", env, userDatabases: pgDatabases, stateDir }),
      { kind: "postgres", url: "postgres://f@h/db", source: "--database" },
    );
    assert.deepEqual(selectDatabase({ env, userDatabases: pgDatabases, stateDir }), {
      kind: "postgres",
      url: "postgres://e@h/db",
      source: "SENTRYCTL_DATABASE_URL",
    });
    assert.deepEqual(selectDatabase({ env: {}, userDatabases: pgDatabases, stateDir }), {
      kind: "postgres",
      url: "postgres://postgres@127.0.0.1:5432/sentry",
      source: "DATABASES",
    });
    assert.deepEqual(selectDatabase({ env: {}, stateDir }), {
      kind: "sqlite",
      path: "/state/sentryctl.db",
      source: "default",
    });
    assert.deepEqual(
      selectDatabase({ env: { SENTRYCTL_DATABASE_URL: "" }, stateDir }).kind,
      "sqlite",
    );
  });

  test("DATABASES to a URL: escaping, IPv6 hosts, non-Postgres engines ignored", () => {
    assert.equal(
      postgresFromDatabases({
        default: {
          ENGINE: "django.db.backends.postgresql",
          NAME: "my db",
          USER: "u@x",
          PASSWORD: "p:/@",
          HOST: "::1",
          PORT: 6543,
        },
      }),
      "postgres://u%40x:p%3A%2F%40@[::1]:6543/my%20db",
    );
    assert.equal(
      postgresFromDatabases({ default: { ENGINE: "django.db.backends.sqlite3", NAME: "x" } }),
      undefined,
    );
    assert.equal(postgresFromDatabases({}), undefined);
    assert.equal(postgresFromDatabases("nope"), undefined);
  });

  test("URLs: postgres:// and postgresql://, sqlite:PATH, anything else is a usage error", () => {
    assert.equal(parseDatabaseUrl("postgresql://h/db", "x").kind, "postgres");
    assert.deepEqual(parseDatabaseUrl("sqlite:/tmp/a.db", "x"), {
      kind: "sqlite",
      path: "/tmp/a.db",
      source: "x",
    });
    assert.throws(
      () => parseDatabaseUrl("mysql://h/db", "--database"),
      (e: Error & { exitCode?: number }) =>
        e.exitCode === 2 &&
        /--database: expected a postgres:\/\/ URL or sqlite:PATH/.test(e.message),
    );
    assert.throws(() => parseDatabaseUrl("sqlite:", "x"), /expected/);
    assert.throws(
      () => parseDatabaseUrl("mysql://h/db", "SENTRYCTL_DATABASE_URL"),
      (e: Error & { exitCode?: number }) => e.exitCode === 3,
    );
    assert.equal(redactUrl("postgres://u:secret@h:5/db"), "postgres://u:***@h:5/db");
    assert.equal(redactUrl("postgres://u@h/db"), "postgres://u@h/db");
  });
});

describe("migrations", () => {
  test("versions are 1, 2, … in order; pending ones follow the current version", () => {
    assert.deepEqual(MIGRATIONS.map((m) => m.version), MIGRATIONS.map((_, i) => i + 1));
    assert.equal(LATEST_VERSION, 1);
    assert.deepEqual(pendingMigrations(0).map((m) => m.version), [1]);
    assert.deepEqual(pendingMigrations(1), []);
  });
});

describe("SQLite store", () => {
  test("users: unique usernames (case-sensitive insert), case-insensitive lookups, '!' excluded", async () => {
    const store = await openSqliteStore(tempDb());
    try {
      const made = await store.createUser({
        username: "Admin@Example.com",
        email: "Admin@Example.com",
        password: "pbkdf2_sha256$1$a$b",
        isSuperuser: true,
        isStaff: false,
      });
      assert.deepEqual(made, {
        id: 1,
        username: "Admin@Example.com",
        email: "Admin@Example.com",
        password: "pbkdf2_sha256$1$a$b",
        isSuperuser: true,
        isStaff: false,
        isActive: true,
      });
      assert.equal(
        await store.createUser({
          username: "Admin@Example.com",
          email: "",
          password: "",
          isSuperuser: false,
          isStaff: false,
        }),
        undefined,
      );
      await store.createUser({
        username: "bob",
        email: "admin@example.COM",
        password: "!",
        isSuperuser: true,
        isStaff: false,
      });
      assert.deepEqual((await store.usersByUsername("ADMIN@example.com")).map((u) => u.id), [1]);
      assert.deepEqual((await store.usersByEmail("admin@example.com")).map((u) => u.id), [1]);
      assert.deepEqual(await store.usersByUsername("bob"), []);
      await store.createUser({
        username: "Ädmin",
        email: "Ölaf@x.io",
        password: "p",
        isSuperuser: true,
        isStaff: false,
      });
      assert.deepEqual((await store.usersByUsername("äDMIN")).map((u) => u.username), ["Ädmin"]);
      assert.deepEqual((await store.usersByEmail("ölaf@X.IO")).map((u) => u.username), ["Ädmin"]);
      assert.equal(
        await store.updateUser({
          username: "nobody",
          email: "",
          password: "",
          isSuperuser: true,
          isStaff: true,
        }),
        false,
      );
    } finally {
      await store.close();
    }
  });

  test("permissions: add is idempotent, list is byte-ordered, remove reports absence", async () => {
    const store = await openSqliteStore(tempDb());
    try {
      await store.createUser({
        username: "u",
        email: "u@x.io",
        password: "p",
        isSuperuser: true,
        isStaff: true,
      });
      assert.equal(await store.addPermission(1, "users.admin"), true);
      assert.equal(await store.addPermission(1, "users.admin"), false);
      assert.equal(await store.addPermission(1, "Zeta"), true);
      assert.equal(await store.addPermission(1, "alpha"), true);
      assert.deepEqual(await store.listPermissions(1), ["Zeta", "alpha", "users.admin"]);
      assert.equal(await store.removePermission(1, "alpha"), true);
      assert.equal(await store.removePermission(1, "alpha"), false);
      await assert.rejects(store.addPermission(99, "x"), /FOREIGN KEY/);
    } finally {
      await store.close();
    }
  });

  test("reopening keeps the data and does not migrate again", async () => {
    const path = tempDb();
    const a = await openSqliteStore(path);
    await a.createUser({
      username: "u",
      email: "",
      password: "p",
      isSuperuser: true,
      isStaff: false,
    });
    await a.close();
    const b = await openSqliteStore(path);
    assert.equal((await b.usersByUsername("u")).length, 1);
    await b.close();
  });
});

describe("Sentry's user lookup", () => {
  test("username first, then email only with '@', then the superuser check", async () => {
    const store = await openSqliteStore(tempDb());
    try {
      await store.createUser({
        username: "jane",
        email: "jane@x.io",
        password: "p",
        isSuperuser: true,
        isStaff: false,
      });
      await store.createUser({
        username: "joe",
        email: "shared@x.io",
        password: "p",
        isSuperuser: false,
        isStaff: false,
      });
      await store.createUser({
        username: "jim",
        email: "SHARED@x.io",
        password: "p",
        isSuperuser: true,
        isStaff: false,
      });
      assert.deepEqual((await findUsers(store, "JANE")).map((u) => u.username), ["jane"]);
      assert.deepEqual((await findUsers(store, "jane@x.io")).map((u) => u.username), ["jane"]);
      assert.deepEqual(await findUsers(store, "x.io"), []);
      assert.equal((await userParamToUser(store, "jane@X.IO")).username, "jane");
      await assert.rejects(
        userParamToUser(store, "shared@x.io"),
        /^Error: Found more than one user matching `shared@x\.io`$|Found more than one user matching `shared@x\.io`/,
      );
      await assert.rejects(
        userParamToUser(store, "joe"),
        (e: Error) => e.message === "User `joe` does not have superuser status",
      );
      await assert.rejects(
        userParamToUser(store, "nobody"),
        (e: Error) => e.message === "No user matching `nobody`",
      );
    } finally {
      await store.close();
    }
  });
});

describe("an email lookup needs an '@'", () => {
  test("a value without '@' that equals a stored email matches nobody (Sentry's rule)", async () => {
    const store = await openSqliteStore(tempDb());
    try {
      // Emails are free text in Sentry's table: one without '@' can be stored.
      await store.createUser({
        username: "kim",
        email: "kim-at-home",
        password: "p",
        isSuperuser: true,
        isStaff: false,
      });
      assert.deepEqual((await store.usersByEmail("kim-at-home")).map((u) => u.username), ["kim"]);
      assert.deepEqual(await findUsers(store, "kim-at-home"), []);
      assert.deepEqual(await findUsers(store, "KIM-AT-HOME"), []);
      await assert.rejects(
        userParamToUser(store, "kim-at-home"),
        (e: Error) => e.message === "No user matching `kim-at-home`",
      );
      assert.equal((await userParamToUser(store, "KIM")).username, "kim");
    } finally {
      await store.close();
    }
  });
});
