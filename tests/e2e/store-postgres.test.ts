// End-to-end: the same users-and-permissions scenario against a real PostgreSQL (a throwaway
// cluster started here, Sentry's tables created from tests/fixtures/sentry-auth-schema.sql):
// output identical to the SQLite store's, rows visible with psql, every way of asking for
// Postgres (--database, SENTRYCTL_DATABASE_URL, DATABASES in the user's settings file), twenty
// concurrent adds, and the errors for a database that is down or not Sentry's.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli, testEnv } from "../helpers/cli.ts";
import { createSentryDatabase, type PgCluster, startPostgres } from "../helpers/postgres.ts";
import { concurrentAdds, permissionScenario, type Step } from "../helpers/store-scenario.ts";

let pg: PgCluster;

before(async () => {
  pg = await startPostgres();
});

after(async () => {
  await pg?.stop();
});

const home = () => mkdtempSync(join(tmpdir(), "sentryctl-pg-home-"));
const strip = (steps: Step[]) =>
  steps.map(({ args, code, stdout, stderr }) => ({ args, code, stdout, stderr }));

describe("Postgres store (Sentry's tables)", () => {
  test("the scenario prints exactly what the SQLite store prints; rows are visible with psql", async () => {
    createSentryDatabase(pg, "sentry_a");
    const onPostgres = await permissionScenario(testEnv({ HOME: home() }), [
      "--database",
      pg.url("sentry_a"),
    ]);
    const onSqlite = await permissionScenario(testEnv({ HOME: home() }));
    assert.deepEqual(strip(onPostgres), strip(onSqlite));
    const rows = pg.psql(
      "sentry_a",
      `SELECT u.username || ' ' || p.permission FROM sentry_userpermission p
       JOIN auth_user u ON u.id = p.user_id ORDER BY p.permission`,
    );
    assert.equal(rows, "Admin@Example.com a.custom-perm\nAdmin@Example.com users.admin\n");
    const user = pg.psql(
      "sentry_a",
      `SELECT username, email, is_superuser, is_staff, is_active, is_managed, flags, first_name = ''
       FROM auth_user WHERE username = 'Admin@Example.com'`,
    );
    assert.equal(user, "Admin@Example.com|Admin@Example.com|t|t|t|f|0|t\n");
    assert.match(
      pg.psql("sentry_a", "SELECT password FROM auth_user WHERE username = 'Admin@Example.com'"),
      /^pbkdf2_sha256\$1000000\$[A-Za-z0-9]{22}\$[A-Za-z0-9+/]{43}=\n$/,
    );
  });

  test("twenty concurrent adds leave exactly one row and none fails", async () => {
    createSentryDatabase(pg, "sentry_b");
    const env = testEnv({ HOME: home(), SENTRYCTL_DATABASE_URL: pg.url("sentry_b") });
    const made = await runCli(
      ["createuser", "--email", "Admin@Example.com", "--password", "pw", "--superuser"],
      { env },
    );
    assert.equal(made.code, 0, made.stderr);
    await concurrentAdds(env);
    assert.equal(
      pg.psql(
        "sentry_b",
        "SELECT count(*) FROM sentry_userpermission WHERE permission = 'options.admin'",
      ),
      "1\n",
    );
  });

  test("DATABASES in the user's settings file selects Postgres; the built-in default never does", async () => {
    createSentryDatabase(pg, "sentry_c");
    const conf = mkdtempSync(join(tmpdir(), "sentryctl-pg-conf-"));
    writeFileSync(
      join(conf, "sentry.conf.yml"),
      [
        "DATABASES:",
        "  default:",
        "    ENGINE: sentry.db.postgres",
        "    NAME: sentry_c",
        "    USER: postgres",
        `    PASSWORD: '${pg.password}'`,
        "    HOST: 127.0.0.1",
        `    PORT: '${pg.port}'`,
        "",
      ].join("\n"),
    );
    writeFileSync(
      join(conf, "config.yml"),
      "system.secret-key: 'a-test-secret-key-for-the-pg-e2e-0123456789abcdef'\n",
    );
    const env = testEnv({ HOME: home() });
    const made = await runCli(
      [
        "--config",
        conf,
        "createuser",
        "--email",
        "conf@example.com",
        "--no-password",
        "--superuser",
      ],
      { env },
    );
    assert.equal(made.code, 0, made.stderr);
    assert.equal(pg.psql("sentry_c", "SELECT username FROM auth_user"), "conf@example.com\n");
    // Without the settings file the same command goes to SQLite in the state directory.
    const local = await runCli(["createuser", "--email", "conf@example.com", "--no-password"], {
      env,
    });
    assert.equal(local.code, 0, local.stderr);
    assert.equal(local.stdout, "User created: conf@example.com\n");
  });

  test("columns a newer Sentry adds are filled the way Django would; an unfillable one is a clear error", async () => {
    createSentryDatabase(pg, "sentry_d");
    // A future NOT NULL boolean and bigint without database defaults (Django keeps defaults in
    // Python): createuser fills false / 0.
    pg.psql(
      "sentry_d",
      "ALTER TABLE auth_user ADD COLUMN is_suspended boolean NOT NULL, ADD COLUMN karma bigint NOT NULL",
    );
    const env = testEnv({ HOME: home(), SENTRYCTL_DATABASE_URL: pg.url("sentry_d") });
    const made = await runCli(["createuser", "--email", "new@example.com", "--no-password"], {
      env,
    });
    assert.equal(made.code, 0, made.stderr);
    assert.equal(
      pg.psql("sentry_d", "SELECT is_suspended, karma, password = '' FROM auth_user"),
      "f|0|t\n",
    );
    pg.psql(
      "sentry_d",
      "ALTER TABLE auth_user ADD COLUMN token uuid NOT NULL DEFAULT gen_random_uuid()",
    );
    pg.psql("sentry_d", "ALTER TABLE auth_user ALTER COLUMN token DROP DEFAULT");
    const bad = await runCli(["createuser", "--email", "other@example.com", "--no-password"], {
      env,
    });
    assert.equal(bad.code, 1);
    assert.match(
      bad.stderr,
      /^error: Postgres error on postgres:\/\/postgres:\*\*\*@[^ ]+\/sentry_d: .*"token".* \(SQLSTATE 23502\)\n/,
    );
    assert.doesNotMatch(bad.stderr, /bug/);
  });

  test("a database without Sentry's tables, a wrong password and a closed port: exit 1, clear messages", async () => {
    pg.psql("postgres", "CREATE DATABASE empty_db");
    const env = testEnv({ HOME: home() });
    const empty = await runCli(
      ["permissions", "list", "-u", "x", "--database", pg.url("empty_db")],
      { env },
    );
    assert.equal(empty.code, 1);
    assert.match(
      empty.stderr,
      /^error: the database postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/empty_db has no table auth_user or sentry_userpermission\n/,
    );
    assert.doesNotMatch(empty.stderr, new RegExp(pg.password));
    const wrong = await runCli(
      [
        "permissions",
        "list",
        "-u",
        "x",
        "--database",
        `postgres://postgres:wrong@127.0.0.1:${pg.port}/empty_db`,
      ],
      { env },
    );
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /^error: Postgres refused postgres:\/\/postgres:\*\*\*@/);
    const closed = await runCli(
      ["permissions", "list", "-u", "x", "--database", "postgres://postgres@127.0.0.1:1/sentry"],
      { env },
    );
    assert.equal(closed.code, 1);
    assert.match(
      closed.stderr,
      /^error: cannot connect to Postgres at postgres:\/\/postgres@127\.0\.0\.1:1\/sentry/,
    );
    assert.match(
      closed.stderr,
      /\nhint: start it \(e\.g\. `sentryctl attach postgres`\) or fix --database\n$/,
    );
    // Selected by the user's DATABASES: the hint says so, and how to get the local store back.
    const conf = mkdtempSync(join(tmpdir(), "sentryctl-pg-down-"));
    writeFileSync(
      join(conf, "sentry.conf.yml"),
      "DATABASES:\n  default:\n    ENGINE: sentry.db.postgres\n    NAME: sentry\n    USER: postgres\n    HOST: 127.0.0.1\n    PORT: '1'\n",
    );
    writeFileSync(
      join(conf, "config.yml"),
      "system.secret-key: 'another-test-secret-key-0123456789abcdefghijklmnop'\n",
    );
    const down = await runCli(["--config", conf, "permissions", "list", "-u", "x"], { env });
    assert.equal(down.code, 1);
    assert.match(
      down.stderr,
      /^error: cannot connect to Postgres at postgres:\/\/postgres@127\.0\.0\.1:1\/sentry: .*\nhint: .*or fix DATABASES in your settings file \(without it the local SQLite store is used\)\n$/,
    );
  });
});
