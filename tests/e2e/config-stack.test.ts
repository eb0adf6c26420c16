// End-to-end: `config stack` through the binary — which stack is chosen (-f, then
// ./devservices/config.yml, then the catalog), files merged in order, the stack flags read only
// before the command, and a broken file's exit 3 with file:line:col and a caret. No Docker.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli, testEnv } from "../helpers/cli.ts";

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "sentryctl-stack-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

describe("config stack", () => {
  test("-f files merge in order; the human form names the files and the project", async () => {
    const dir = project({
      "a.yml": "services:\n  web:\n    image: web:${TAG:-1}\n    ports: ['8080:80']\n",
      "b.yml": "services:\n  web:\n    image: web:2\n    ports: ['8081:81']\n",
    });
    const r = await runCli(["-f", "a.yml", "--file=b.yml", "config", "stack"], {
      cwd: dir,
      env: testEnv(),
    });
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      new RegExp(`^# source: ${join(dir, "a.yml")}, ${join(dir, "b.yml")} \\(-f\\)\n`),
    );
    assert.match(r.stdout, /# project: sentryctl-stack-\w+ \(from the project directory's name\)/);
    assert.match(r.stdout, /image: web:2/);
    const json = await runCli([
      "-f",
      "a.yml",
      "-f",
      "b.yml",
      "--project",
      "mine",
      "config",
      "stack",
      "--json",
    ], {
      cwd: dir,
      env: testEnv(),
    });
    const model = JSON.parse(json.stdout);
    assert.equal(model.name, "mine");
    assert.deepEqual(model.services.web.ports.map((p: { published: string }) => p.published), [
      "8080",
      "8081",
    ]);
    assert.deepEqual(model.networks, { default: { name: "mine_default" } });
  });

  test("./devservices/config.yml is the stack when no -f is given; else the catalog", async () => {
    const dir = project({
      "devservices/config.yml":
        "x-sentry-service-config: {service_name: myrepo}\nservices:\n  redis: {image: redis}\n",
    });
    const r = await runCli(["config", "stack"], { cwd: dir, env: testEnv() });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /\(\.\/devservices\/config\.yml\)/);
    assert.match(r.stdout, /# project: myrepo \(from x-sentry-service-config\.service_name\)/);
    const empty = project({});
    const catalog = await runCli(["config", "stack"], { cwd: empty, env: testEnv() });
    assert.equal(catalog.code, 0, catalog.stderr);
    assert.match(catalog.stdout, /^# source: built-in catalog/);
    assert.match(catalog.stdout, /\nredis: \S+/);
  });

  test("a broken file: exit 3, file:line:col, the line and a caret; warnings name file:line", async () => {
    const dir = project({
      "c.yml": "services:\n  web:\n    image: x\n    ports:\n      - '80:99999'\n",
    });
    const r = await runCli(["-f", "c.yml", "config", "stack"], { cwd: dir, env: testEnv() });
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, new RegExp(`error: ${join(dir, "c.yml")}:5:9: invalid port '80:99999'`));
    assert.match(r.stderr, /\n5 \| {7}- '80:99999'\n {12}\^\n/);
    const warn = project({
      "w.yml": "services:\n  web:\n    image: x\n    privileged_mode: true\n",
    });
    const w = await runCli(["-f", "w.yml", "config", "stack", "--json"], {
      cwd: warn,
      env: testEnv(),
    });
    assert.equal(w.code, 0, w.stderr);
    assert.match(
      w.stderr,
      new RegExp(
        `warning: ${join(warn, "w.yml")}:4: service 'web': key 'privileged_mode' is not supported`,
      ),
    );
  });

  test("stack flags count only before the command; --profile activates profiles", async () => {
    const dir = project({
      "p.yml": "services:\n  a: {image: a}\n  b: {image: b, profiles: [extra]}\n",
    });
    const after = await runCli(["config", "stack", "-f", "p.yml"], { cwd: dir, env: testEnv() });
    assert.equal(after.code, 2, "after the command -f is not a flag of config stack");
    const on = await runCli(["-f", "p.yml", "config", "stack", "--json", "--profile", "extra"], {
      cwd: dir,
      env: testEnv(),
    });
    assert.deepEqual(Object.keys(JSON.parse(on.stdout).services), ["a", "b"]);
    const off = await runCli(["-f", "p.yml", "config", "stack", "--json"], {
      cwd: dir,
      env: testEnv(),
    });
    assert.deepEqual(Object.keys(JSON.parse(off.stdout).services), ["a"]);
    const missing = await runCli(["-f", "nope.yml", "config", "stack"], {
      cwd: dir,
      env: testEnv(),
    });
    assert.equal(missing.code, 3);
    assert.match(missing.stderr, /project file .*nope\.yml does not exist/);
  });
});
