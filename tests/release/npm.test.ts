// The npm packages from `npm run release` (issue #13, must-show 4): `npm pack` tarballs installed
// offline into a temp project. npm picks the platform package by its os/cpu/libc fields (a
// mismatching one is refused with EBADPLATFORM), there is no install script, `npx sentryctl
// --version` works, and the launcher passes argv, exit codes and signals through: a terminal's
// Ctrl-C (through a real pty, `script`) reaches `attach`, which removes its container and exits
// 0; a SIGTERM sent to the launcher alone is forwarded.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cleanupProject } from "../helpers/docker.ts";
import { ensureRelease, NPM_DIR, projectContainers, versionLine } from "./release.ts";

const PROJECT = "sentryctl-dist-npm";
const work = mkdtempSync(join(tmpdir(), "sentryctl-dist-npm-"));
const packs = join(work, "packs");
const app = join(work, "app");
const conf = join(work, "conf");

/** npm with a private HOME and cache, so neither the user's config nor cache is involved. */
const npmEnv: Record<string, string> = {
  PATH: process.env.PATH ?? "/usr/bin:/bin",
  HOME: join(work, "home"),
  npm_config_cache: join(work, "npm-cache"),
  npm_config_update_notifier: "false",
  NO_COLOR: "1",
  CI: "true",
};

function npm(args: string[], cwd: string) {
  const r = spawnSync("npm", args, { cwd, env: npmEnv, encoding: "utf8" });
  return { code: r.status, out: r.stdout + r.stderr };
}

function pack(pkg: string): string {
  const r = npm(["pack", "--silent", "--pack-destination", packs], join(NPM_DIR, pkg));
  assert.equal(r.code, 0, r.out);
  return join(packs, r.out.trim().split("\n").pop()!);
}

function newProject(dir: string): void {
  for (const d of [dir, npmEnv.HOME!]) spawnSync("mkdir", ["-p", d]);
  writeFileSync(
    join(dir, "package.json"),
    '{ "name": "t", "version": "1.0.0", "private": true }\n',
  );
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
}

/**
 * Runs `command` (a shell line) in `app`; when the output matches `ready`, `act` is called once
 * with the child (to signal it or type into it).
 */
function runUntil(
  file: string,
  args: string[],
  ready: RegExp | undefined,
  act: (child: ReturnType<typeof spawn>) => void,
  env: Record<string, string> = {},
): Promise<Run> {
  const child = spawn(file, args, {
    cwd: app,
    env: { ...npmEnv, ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let out = "";
  let acted = false;
  const seen = (d: Buffer) => {
    out += d;
    if (ready && !acted && ready.test(out)) {
      acted = true;
      act(child);
    }
  };
  child.stdout!.on("data", seen);
  child.stderr!.on("data", seen);
  const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      child.stdin!.destroy();
      resolve({ code, signal, out });
    });
  });
}

const ATTACH = `--config ${"CONF"} --project ${PROJECT} attach redis`;
const READY = /Ready to accept connections/;

describe("npm packages", { timeout: 300_000 }, () => {
  before(() => {
    ensureRelease();
    cleanupProject(PROJECT);
    spawnSync("mkdir", ["-p", packs, conf]);
    writeFileSync(
      join(conf, "sentry.conf.yml"),
      "SENTRY_DEVSERVICES:\n  redis:\n    image: sentryctl-test/redis:7\n    command: null\n" +
        "    ports: null\n",
    );
    newProject(app);
    const r = npm([
      "install",
      "--offline",
      "--no-audit",
      "--no-fund",
      pack("sentryctl"),
      pack("linux-x64"),
    ], app);
    assert.equal(r.code, 0, r.out);
  });
  after(() => {
    cleanupProject(PROJECT);
    rmSync(work, { recursive: true, force: true });
  });

  test("installed offline: the launcher plus only this platform's package, no install scripts", () => {
    assert.deepEqual(readdirSync(join(app, "node_modules/@sentryctl")), ["linux-x64"]);
    const main = JSON.parse(readFileSync(join(app, "node_modules/sentryctl/package.json"), "utf8"));
    assert.equal(main.scripts, undefined);
    assert.deepEqual(main.bin, { sentryctl: "bin/sentryctl.js" });
    assert.deepEqual(Object.keys(main.optionalDependencies).sort(), [
      "@sentryctl/darwin-arm64",
      "@sentryctl/darwin-x64",
      "@sentryctl/linux-arm64",
      "@sentryctl/linux-arm64-musl",
      "@sentryctl/linux-x64",
      "@sentryctl/linux-x64-musl",
    ]);
    const plat = JSON.parse(
      readFileSync(join(app, "node_modules/@sentryctl/linux-x64/package.json"), "utf8"),
    );
    assert.deepEqual([plat.os, plat.cpu, plat.libc], [["linux"], ["x64"], ["glibc"]]);
    assert.equal(plat.scripts, undefined);
  });

  test("npx sentryctl --version", async () => {
    const r = await runUntil("npx", ["--offline", "sentryctl", "--version"], undefined, () => {});
    assert.equal(r.code, 0, r.out);
    assert.match(r.out.replace(/^npm warn .*\n/gm, ""), versionLine("linux-x64"));
  });

  test("argv and exit codes pass through the launcher", async () => {
    const r = await runUntil(
      "node_modules/.bin/sentryctl",
      ["atach", "redis"],
      undefined,
      () => {},
    );
    assert.equal(r.code, 2, r.out);
    assert.match(r.out, /unknown command 'atach'/);
  });

  test("npm refuses another platform's package (os/cpu/libc fields)", () => {
    // The fields live in package.json; packing it without the 100 MiB binary keeps this quick.
    const other = join(work, "other");
    newProject(other);
    for (
      const [pkg, wanted] of [
        ["linux-arm64", '{"os":"linux","cpu":"arm64","libc":"glibc"}'],
        ["linux-x64-musl", '{"os":"linux","cpu":"x64","libc":"musl"}'],
        ["darwin-arm64", '{"os":"darwin","cpu":"arm64"}'],
      ] as const
    ) {
      const manifestOnly = join(work, "manifest-only", pkg);
      mkdirSync(manifestOnly, { recursive: true });
      copyFileSync(join(NPM_DIR, pkg, "package.json"), join(manifestOnly, "package.json"));
      const tgz = npm(["pack", "--silent", "--pack-destination", packs], manifestOnly);
      assert.equal(tgz.code, 0, tgz.out);
      const file = join(packs, tgz.out.trim().split("\n").pop()!);
      const r = npm(["install", "--offline", "--no-audit", "--no-fund", file], other);
      assert.notEqual(r.code, 0, r.out);
      assert.match(r.out, /EBADPLATFORM/);
      assert.ok(r.out.includes(`wanted ${wanted}`), r.out);
    }
    assert.equal(existsSync(join(other, "node_modules/@sentryctl")), false);
  });

  test("without its platform package the launcher says what is missing, exit 1", async () => {
    const launcher = join(NPM_DIR, "sentryctl/bin/sentryctl.js");
    const r = await runUntil("node", [launcher, "--version"], undefined, () => {});
    assert.equal(r.code, 1, r.out);
    assert.match(r.out, /the package @sentryctl\/linux-x64 is not installed/);
  });

  for (
    const [name, file, args, env] of [
      ["the installed bin (as after npm i -g)", "node_modules/.bin/sentryctl", [], {}],
      ["npx (script shell bash)", "npx", ["--offline", "sentryctl"], {
        npm_config_script_shell: "/bin/bash",
      }],
    ] as const
  ) {
    test(`Ctrl-C in a terminal through ${name}: container removed, exit 0`, async () => {
      // `exec`: script runs the line through $SHELL -c; dash (Debian's sh) would stay in
      // between and die of the SIGINT itself, reporting 130 whatever sentryctl did.
      const line = ["exec", file, ...args, ...ATTACH.replace("CONF", conf).split(" ")].join(" ");
      let seen: string[] = [];
      const r = await runUntil("script", ["-qfec", line, "/dev/null"], READY, (child) => {
        seen = projectContainers(PROJECT);
        child.stdin!.write("\x03"); // the terminal turns ^C into SIGINT for its foreground group
      }, env);
      assert.deepEqual(seen, [`${PROJECT}_redis`], r.out);
      assert.equal(r.code, 0, r.out);
      assert.match(r.out, /\^CStopping redis/);
      assert.doesNotMatch(r.out, /killed|exit 130/i);
      assert.deepEqual(projectContainers(PROJECT), []);
    });
  }

  test("SIGTERM sent to the launcher alone is forwarded: container removed, exit 0", async () => {
    const args = ATTACH.replace("CONF", conf).split(" ");
    const r = await runUntil("node_modules/.bin/sentryctl", args, READY, (child) => {
      child.kill("SIGTERM"); // the node launcher's pid only, no terminal involved
    });
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /Stopping redis/);
    assert.deepEqual(projectContainers(PROJECT), []);
  });
});
