// The users-and-permissions scenario of issue #11 (must-show 1 and 2), run through the CLI the
// same way against any store; returns every step's output so two stores can be compared.

import assert from "node:assert/strict";
import { type CliResult, runCli } from "./cli.ts";

export interface Step {
  args: string[];
  code: number | null;
  stdout: string;
  stderr: string;
}

const EMAIL = "Admin@Example.com";

/** Runs the scenario; `extra` (e.g. `--database URL`) goes after every command. */
export async function permissionScenario(
  env: Record<string, string>,
  extra: string[] = [],
): Promise<Step[]> {
  const steps: Step[] = [];
  const run = async (args: string[]): Promise<CliResult> => {
    const r = await runCli([...args, ...extra], { env });
    steps.push({ args, code: r.code, stdout: r.stdout, stderr: r.stderr });
    return r;
  };
  const created = await run([
    "createuser",
    "--email",
    EMAIL,
    "--password",
    "s3cret",
    "--superuser",
  ]);
  assert.equal(created.code, 0, created.stderr);
  assert.equal(created.stdout, `User created: ${EMAIL}\n`);

  const first = await run(["permissions", "add", "-u", EMAIL, "-p", "users.admin"]);
  assert.equal(first.code, 0, first.stderr);
  assert.equal(first.stdout, "Added permission `users.admin` to `Admin@Example.com`\n");
  assert.equal(first.stderr, "");

  // Sentry's lookup: username ignoring case.
  const again = await run(["permissions", "add", "-u", "admin@example.COM", "-p", "users.admin"]);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(again.stdout, "Permission already exists for `Admin@Example.com`\n");

  const other = await run(["permissions", "add", "-u", EMAIL, "-p", "broadcasts.admin"]);
  assert.equal(other.code, 0, other.stderr);

  const unknown = await run(["permissions", "add", "-u", EMAIL, "-p", "a.custom-perm"]);
  assert.equal(unknown.code, 0, unknown.stderr);
  assert.equal(unknown.stdout, "Added permission `a.custom-perm` to `Admin@Example.com`\n");
  assert.equal(
    unknown.stderr,
    "warning: unknown permission `a.custom-perm` (known: broadcasts.admin, users.admin, " +
      "options.admin); adding it anyway\n",
  );

  const list = await run(["permissions", "list", "-u", EMAIL]);
  assert.equal(list.code, 0, list.stderr);
  assert.equal(
    list.stdout,
    "Permissions for `Admin@Example.com`:\n- a.custom-perm\n- broadcasts.admin\n- users.admin\n",
  );

  const removed = await run(["permissions", "remove", "-u", EMAIL, "-p", "broadcasts.admin"]);
  assert.equal(removed.code, 0, removed.stderr);
  assert.equal(removed.stdout, "Removed permission `broadcasts.admin` from `Admin@Example.com`\n");

  const missing = await run(["permissions", "remove", "-u", EMAIL, "-p", "broadcasts.admin"]);
  assert.equal(missing.code, 0, missing.stderr);
  assert.equal(missing.stdout, "Permission does not exist for `Admin@Example.com`\n");

  const nobody = await run(["permissions", "add", "-u", "nobody", "-p", "users.admin"]);
  assert.equal(nobody.code, 1);
  assert.equal(nobody.stdout, "");
  assert.match(nobody.stderr, /^error: No user matching `nobody`\n/);

  const plain = await run(["createuser", "--email", "plain@example.com", "--password", "pw"]);
  assert.equal(plain.code, 0, plain.stderr);
  const notSuper = await run(["permissions", "list", "-u", "plain@example.com"]);
  assert.equal(notSuper.code, 1);
  assert.match(
    notSuper.stderr,
    /^error: User `plain@example.com` does not have superuser status\n/,
  );

  const dup = await run(["createuser", "--email", EMAIL, "--password", "x", "--superuser"]);
  assert.equal(dup.code, 3);
  assert.equal(dup.stdout, `User: ${EMAIL} exists, use --force-update to force\n`);

  const empty = await run(["permissions", "list", "-u", "PLAIN@example.com", "--help"]);
  assert.equal(empty.code, 0);
  return steps;
}

/** Twenty concurrent `permissions add` of one pair: all exit 0, exactly one says "Added". */
export async function concurrentAdds(
  env: Record<string, string>,
  extra: string[] = [],
  permission = "options.admin",
): Promise<CliResult[]> {
  const runs = await Promise.all(
    Array.from(
      { length: 20 },
      () =>
        runCli(["permissions", "add", "-u", EMAIL, "-p", permission, ...extra], {
          env,
          timeoutMs: 120_000,
        }),
    ),
  );
  for (const r of runs) assert.equal(r.code, 0, `exit ${r.code}: ${r.stderr}`);
  const added = runs.filter((r) => r.stdout.startsWith("Added permission"));
  const existed = runs.filter((r) => r.stdout.startsWith("Permission already exists"));
  assert.equal(added.length, 1, runs.map((r) => r.stdout).join(""));
  assert.equal(existed.length, 19);
  return runs;
}
