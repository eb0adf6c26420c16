import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import type { RemoteConfig } from "./config.ts";
import { Fetcher } from "./fetch.ts";
import { repoCacheDir } from "./paths.ts";

const root = mkdtempSync(join(tmpdir(), "devsvc-fetch-"));
after(() => rmSync(root, { recursive: true, force: true }));

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: "t",
  GIT_AUTHOR_EMAIL: "t@example.com",
  GIT_COMMITTER_NAME: "t",
  GIT_COMMITTER_EMAIL: "t@example.com",
};

function git(cwd: string, ...args: string[]) {
  execFileSync("git", args, { cwd, env: GIT_ENV, stdio: "pipe" });
}

function makeRepo(name: string, config: string): string {
  const dir = join(root, "src", name);
  mkdirSync(join(dir, "devservices"), { recursive: true });
  writeFileSync(join(dir, "devservices", "config.yml"), config);
  writeFileSync(join(dir, "README.md"), "not part of the sparse checkout\n");
  git(dir, "init", "-q", "-b", "main");
  git(dir, "add", ".");
  git(dir, "commit", "-q", "-m", "init");
  return dir;
}

function remoteOf(name: string, dir: string): RemoteConfig {
  return { repoName: name, branch: "main", repoLink: `file://${dir}`, mode: "default" };
}

test("clone: only devservices/, in devservices' cache; once per run; updates on the next run", async () => {
  const home = join(root, "home1");
  const src = makeRepo("shared", "version: one\n");
  const remote = remoteOf("shared", src);
  const warnings: string[] = [];
  const fetches: string[] = [];
  const fetcher = new Fetcher({
    home,
    env: process.env,
    offline: false,
    warn: (l) => warnings.push(l),
    onFetch: (r) => fetches.push(r),
  });
  const [a, b] = await Promise.all([fetcher.ensure(remote), fetcher.ensure(remote)]);
  assert.equal(a, repoCacheDir(home, "shared"));
  assert.equal(a, join(home, ".cache", "sentry-devservices", "dependencies", "v1", "shared"));
  assert.equal(b, a);
  assert.deepEqual(fetches, ["shared"], "fetched once per run");
  assert.equal(readFileSync(join(a, "devservices", "config.yml"), "utf8"), "version: one\n");
  assert.equal(existsSync(join(a, "README.md")), false, "sparse: only devservices/");

  writeFileSync(join(src, "devservices", "config.yml"), "version: two\n");
  git(src, "commit", "-q", "-am", "two");
  await new Fetcher({ home, env: process.env, offline: false, warn: (l) => warnings.push(l) })
    .ensure(remote);
  assert.equal(readFileSync(join(a, "devservices", "config.yml"), "utf8"), "version: two\n");
  assert.deepEqual(warnings, []);
});

test("a failed fetch with a cached copy warns and uses it; offline never fetches", async () => {
  const home = join(root, "home2");
  const src = makeRepo("gone", "x: 1\n");
  const remote = remoteOf("gone", src);
  await new Fetcher({ home, env: process.env, offline: false, warn: () => {} }).ensure(remote);
  renameSync(src, `${src}.moved`);
  const warnings: string[] = [];
  const dir = await new Fetcher({
    home,
    env: process.env,
    offline: false,
    warn: (l) => warnings.push(l),
  }).ensure(remote);
  assert.equal(readFileSync(join(dir, "devservices", "config.yml"), "utf8"), "x: 1\n");
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /^Could not fetch 'gone': .+; using the cached copy$/);

  const fetches: string[] = [];
  await new Fetcher({
    home,
    env: process.env,
    offline: true,
    warn: (l) => warnings.push(l),
    onFetch: (r) => fetches.push(r),
  }).ensure(remote);
  assert.deepEqual(fetches, [], "offline: no network operation");
  assert.equal(warnings.length, 1, "offline with a cache: silent");
});

test("no cache: a failed clone and an offline run fail with devservices' words", async () => {
  const home = join(root, "home3");
  const remote = remoteOf("nowhere", join(root, "src", "does-not-exist"));
  await assert.rejects(
    new Fetcher({ home, env: process.env, offline: false, warn: () => {} }).ensure(remote),
    (err: Error) => err.message.startsWith("Unable to clone dependency: nowhere (file://"),
  );
  assert.equal(existsSync(repoCacheDir(home, "nowhere")), false, "no half-made checkout");
  await assert.rejects(
    new Fetcher({ home, env: process.env, offline: true, warn: () => {} }).ensure(remote),
    (err: Error) => err.message.startsWith("Dependency not installed correctly: nowhere"),
  );
});
