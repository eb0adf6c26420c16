import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqliteStore } from "../../store/sqlite.ts";

const tempDb = () => join(mkdtempSync(join(tmpdir(), "sentryctl-unit-adapter-")), "s.db");

describe("the services layer's permission store is an adapter onto the store", () => {
  test("SENTRY_PERMISSIONS_BACKEND=store uses the database the services step resolves", async () => {
    const { buildServices } = await import("../setup.ts");
    const { NULL_LOGGER } = await import("../../logging/logger.ts");
    const path = tempDb();
    const seed = await openSqliteStore(path);
    await seed.createUser({
      username: "u",
      email: "",
      password: "p",
      isSuperuser: true,
      isStaff: false,
    });
    await seed.close();
    const services = buildServices(
      { SENTRY_METRICS_BACKEND: "dummy", SENTRY_PERMISSIONS_BACKEND: "store" },
      NULL_LOGGER,
      () => {},
      () => ({ kind: "sqlite", path, source: "test" }),
    );
    const perms = services.permissions.expose();
    assert.equal(await perms.add(1, "users.admin"), true);
    assert.equal(await perms.add(1, "users.admin"), false);
    assert.deepEqual(await perms.list(1), ["users.admin"]);
    await assert.rejects(perms.add(1, "y".repeat(33)), /at most 32 characters, got 33/);
    await (services.permissions.instance as unknown as { close(): Promise<void> }).close();
    const check = await openSqliteStore(path);
    assert.deepEqual(await check.listPermissions(1), ["users.admin"]);
    await check.close();
  });

  test("an explicit `database` option wins; an unknown option is a configuration error", async () => {
    const { buildServices, setupServices } = await import("../setup.ts");
    const { NULL_LOGGER } = await import("../../logging/logger.ts");
    const path = tempDb();
    const services = buildServices(
      {
        SENTRY_METRICS_BACKEND: "dummy",
        SENTRY_PERMISSIONS_BACKEND: "sentryctl.permissions.StorePermissionStore",
        SENTRY_PERMISSIONS_OPTIONS: { database: `sqlite:${path}` },
      },
      NULL_LOGGER,
      () => {},
      () => {
        throw new Error("the resolver must not be used when the option is given");
      },
    );
    assert.deepEqual(await services.permissions.expose().list(7), []);
    const bad = buildServices(
      {
        SENTRY_METRICS_BACKEND: "dummy",
        SENTRY_PERMISSIONS_BACKEND: "store",
        SENTRY_PERMISSIONS_OPTIONS: { url: "x" },
      },
      NULL_LOGGER,
      () => {},
    );
    await assert.rejects(
      setupServices(bad, true),
      (e: Error & { exitCode?: number }) => e.exitCode === 3,
    );
  });
});
