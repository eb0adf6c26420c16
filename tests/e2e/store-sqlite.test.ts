// End-to-end: users and permissions on the default SQLite store (<state dir>/sentryctl.db)
// through the binary: Sentry's messages and exit codes, the lookup rules, concurrency and the
// on-disk file (checked with node:sqlite directly).

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqlite } from "../../src/runtime/adapter.ts";
import { runCli, testEnv } from "../helpers/cli.ts";
import { concurrentAdds, permissionScenario } from "../helpers/store-scenario.ts";

function freshEnv() {
  const home = mkdtempSync(join(tmpdir(), "sentryctl-store-"));
  return { env: testEnv({ HOME: home }), db: join(home, ".sentry", "sentryctl.db") };
}

describe("SQLite store (default)", () => {
  test("createuser, add twice, list sorted, remove missing, unknown user: Sentry's messages", async () => {
    const { env, db } = freshEnv();
    await permissionScenario(env);
    assert.equal(existsSync(db), true, "the store is <state dir>/sentryctl.db");
    assert.equal(statSync(db).mode & 0o777, 0o600);
    assert.equal(statSync(join(db, "..")).mode & 0o777, 0o700);
    const sqlite = await openSqlite(db);
    try {
      const rows = sqlite.prepare(
        `SELECT u.username, p.permission FROM sentry_userpermission p
         JOIN auth_user u ON u.id = p.user_id ORDER BY p.permission`,
      ).all();
      assert.deepEqual(rows.map((r) => `${r.username} ${r.permission}`), [
        "Admin@Example.com a.custom-perm",
        "Admin@Example.com users.admin",
      ]);
      assert.equal(sqlite.prepare("PRAGMA user_version").get()!.user_version, 1);
    } finally {
      sqlite.close();
    }
  });

  test("twenty concurrent adds of one pair leave exactly one row and none fails", async () => {
    const { env, db } = freshEnv();
    const made = await runCli(
      ["createuser", "--email", "Admin@Example.com", "--password", "pw", "--superuser"],
      { env },
    );
    assert.equal(made.code, 0, made.stderr);
    await concurrentAdds(env);
    const sqlite = await openSqlite(db);
    try {
      const n = sqlite.prepare(
        "SELECT count(*) AS n FROM sentry_userpermission WHERE permission = 'options.admin'",
      ).get()!.n;
      assert.equal(n, 1);
      assert.equal(sqlite.prepare("PRAGMA integrity_check").get()!.integrity_check, "ok");
    } finally {
      sqlite.close();
    }
  });

  test("twenty processes opening a fresh store at once migrate it exactly once", async () => {
    const { env, db } = freshEnv();
    const runs = await Promise.all(
      Array.from({ length: 20 }, () => runCli(["permissions", "list", "-u", "ghost"], { env })),
    );
    for (const r of runs) {
      assert.equal(r.code, 1, r.stderr);
      assert.equal(r.stderr, "error: No user matching `ghost`\n");
    }
    const sqlite = await openSqlite(db);
    try {
      assert.equal(sqlite.prepare("PRAGMA user_version").get()!.user_version, 1);
      const tables = sqlite.prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      ).all().map((r) => r.name);
      assert.deepEqual(tables, ["auth_user", "sentry_userpermission"]);
    } finally {
      sqlite.close();
    }
  });

  test("lookup: email when the value has @ and no username matches; password '!' never matches", async () => {
    const { env, db } = freshEnv();
    assert.equal(
      (await runCli([
        "createuser",
        "--email",
        "root@example.com",
        "--password",
        "pw",
        "--superuser",
      ], { env })).code,
      0,
    );
    const sqlite = await openSqlite(db);
    try {
      // A user whose username is not their email, and one with Sentry's unusable password.
      sqlite.prepare(
        `INSERT INTO auth_user (password, username, email, is_superuser, date_joined)
         VALUES ('x', 'jane', 'Jane@Example.org', 1, '2026-01-01'),
                ('!', 'locked', 'locked@example.org', 1, '2026-01-01'),
                ('y', 'twin1', 'twin@example.org', 1, '2026-01-01'),
                ('z', 'twin2', 'TWIN@example.org', 1, '2026-01-01')`,
      ).run();
    } finally {
      sqlite.close();
    }
    const byEmail = await runCli(["permissions", "list", "-u", "jane@example.org"], { env });
    assert.equal(byEmail.code, 0, byEmail.stderr);
    assert.equal(byEmail.stdout, "Permissions for `jane`:\n");
    const byName = await runCli(["permissions", "list", "-u", "JANE"], { env });
    assert.equal(byName.stdout, "Permissions for `jane`:\n");
    const locked = await runCli(["permissions", "add", "-u", "locked", "-p", "users.admin"], {
      env,
    });
    assert.equal(locked.code, 1);
    assert.equal(locked.stderr, "error: No user matching `locked`\n");
    const twins = await runCli(["permissions", "list", "-u", "twin@example.org"], { env });
    assert.equal(twins.code, 1);
    assert.equal(twins.stderr, "error: Found more than one user matching `twin@example.org`\n");
    // No lookup by id, as Sentry.
    const byId = await runCli(["permissions", "list", "-u", "1"], { env });
    assert.equal(byId.stderr, "error: No user matching `1`\n");
  });

  test("bad input: missing flags exit 2; a 33-character permission exits 1 and adds nothing", async () => {
    const { env } = freshEnv();
    await runCli(["createuser", "--email", "a@b.co", "--password", "pw", "--superuser"], { env });
    const noUser = await runCli(["permissions", "add", "-p", "users.admin"], { env });
    assert.equal(noUser.code, 2);
    assert.match(noUser.stderr, /^error: Missing option '-u' \/ '--user'\.\n/);
    const noPerm = await runCli(["permissions", "remove", "-u", "a@b.co"], { env });
    assert.equal(noPerm.code, 2);
    assert.match(noPerm.stderr, /^error: Missing option '-p' \/ '--permission'\.\n/);
    const long = await runCli(["permissions", "add", "-u", "a@b.co", "-p", "x".repeat(33)], {
      env,
    });
    assert.equal(long.code, 1);
    assert.match(long.stderr, /Permission names have at most 32 characters, got 33/);
    const list = await runCli(["permissions", "list", "-u", "a@b.co"], { env });
    assert.equal(list.stdout, "Permissions for `a@b.co`:\n");
    const quoted = await runCli(
      ["permissions", "add", "-u", "a@b.co", "-p", "it's'; DROP TABLE x"],
      { env },
    );
    assert.equal(quoted.code, 0, quoted.stderr);
    assert.equal(quoted.stdout, "Added permission `it's'; DROP TABLE x` to `a@b.co`\n");
  });

  test("createuser: missing email or password, staff correction, --force-update", async () => {
    const { env } = freshEnv();
    const noEmail = await runCli(["createuser", "--password", "pw"], { env });
    assert.equal(noEmail.code, 1);
    assert.match(noEmail.stderr, /^error: Invalid or missing email address\.\n/);
    const noPw = await runCli(["createuser", "--email", "a@b.co"], { env });
    assert.equal(noPw.code, 1);
    assert.match(noPw.stderr, /^error: No password set and --no-password not passed\.\n/);
    const bad = await runCli(["createuser", "--email", "not an email", "--no-password"], { env });
    assert.equal(bad.code, 1);
    assert.equal(bad.stderr, "error: Enter a valid email address.\nhint: got `not an email`\n");
    const staff = await runCli(["createuser", "--email", "s@b.co", "--no-password", "--staff"], {
      env,
    });
    assert.equal(staff.code, 0, staff.stderr);
    assert.equal(
      staff.stdout,
      "Non-superuser asked to be given staff access, correcting to staff=False\nUser created: s@b.co\n",
    );
    const forced = await runCli(
      ["createuser", "--email", "s@b.co", "--password", "pw", "--superuser", "--force-update"],
      { env },
    );
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal(forced.stdout, "User updated: s@b.co\n");
    const list = await runCli(["permissions", "list", "-u", "s@b.co"], { env });
    assert.equal(list.code, 0, "now a superuser");
  });

  test("a store written by a newer sentryctl, or not a store at all, is refused, not rewritten", async () => {
    const { env, db } = freshEnv();
    await runCli(["permissions", "list", "-u", "x"], { env });
    const sqlite = await openSqlite(db);
    sqlite.exec("PRAGMA user_version = 99");
    sqlite.close();
    const r = await runCli(["permissions", "list", "-u", "x"], { env });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /has schema version 99; this sentryctl knows up to 1/);
    // A file that is not SQLite at all: a clear failure, not a bug report.
    writeFileSync(db, "this is not a database, just text that is long enough ".repeat(100));
    const junk = await runCli(["permissions", "list", "-u", "x"], { env });
    assert.equal(junk.code, 1);
    assert.match(junk.stderr, /^error: the store .*sentryctl\.db: file is not a database\n/);
    assert.match(junk.stderr, /hint: the file is damaged or not sentryctl's: move it aside/);
    assert.doesNotMatch(junk.stderr, /bug/);
  });

  test("--database sqlite:PATH uses that file; a bad --database is a usage error", async () => {
    const { env } = freshEnv();
    const path = join(mkdtempSync(join(tmpdir(), "sentryctl-alt-")), "alt.db");
    const r = await runCli(
      ["createuser", "--email", "a@b.co", "--no-password", "--database", `sqlite:${path}`],
      { env },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(existsSync(path), true);
    const bad = await runCli(["permissions", "list", "-u", "a", "--database", "mysql://x"], {
      env,
    });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /expected a postgres:\/\/ URL or sqlite:PATH/);
  });
});
