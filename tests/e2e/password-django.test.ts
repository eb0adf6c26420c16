// End-to-end (must-show 3): a password made by `sentryctl createuser` verifies with Django's own
// `check_password` (Debian's python3-django, the same PBKDF2PasswordHasher Sentry uses), and a
// wrong one does not. Skipped, and reported as skipped, only when Django is not installed.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqlite } from "../../src/runtime/adapter.ts";
import { runCli, testEnv } from "../helpers/cli.ts";

const PYTHON = "/usr/bin/python3";
const CHECK = [
  "import sys",
  "from django.conf import settings",
  "settings.configure(PASSWORD_HASHERS=['django.contrib.auth.hashers.PBKDF2PasswordHasher'])",
  "from django.contrib.auth.hashers import check_password, identify_hasher",
  "encoded = sys.stdin.read()",
  "print(identify_hasher(encoded).algorithm, check_password(sys.argv[1], encoded))",
].join("\n");

const hasDjango = spawnSync(PYTHON, ["-c", "import django"], { encoding: "utf8" }).status === 0;

function djangoCheck(password: string, encoded: string): string {
  const r = spawnSync(PYTHON, ["-c", CHECK, password], { input: encoded, encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

test("a createuser password verifies with Django's check_password", {
  skip: !hasDjango && "python3-django is not installed",
}, async () => {
  const home = mkdtempSync(join(tmpdir(), "sentryctl-django-"));
  const env = testEnv({ HOME: home });
  const password = "correct hørse $ battery 'staple'";
  const r = await runCli(["createuser", "--email", "dj@example.com", "--password", password], {
    env,
  });
  assert.equal(r.code, 0, r.stderr);
  const db = await openSqlite(join(home, ".sentry", "sentryctl.db"));
  const encoded = String(db.prepare("SELECT password FROM auth_user").get()!.password);
  db.close();
  assert.equal(djangoCheck(password, encoded), "pbkdf2_sha256 True\n");
  assert.equal(djangoCheck("correct horse $ battery 'staple'", encoded), "pbkdf2_sha256 False\n");
});
