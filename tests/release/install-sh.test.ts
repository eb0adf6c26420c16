// scripts/install.sh as a user runs it (issue #13, must-show 3): checked by `shellcheck -s sh`
// and run by `dash` (POSIX sh, no bash-isms) against a loopback HTTP server that serves
// dist/release/. It installs a working binary; a tampered archive, a missing release or a
// SHA256SUMS without our archive is refused and nothing is installed.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { createServer, type Server } from "node:http";
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, normalize } from "node:path";
import { REPO_ROOT } from "../helpers/cli.ts";
import { cleanupProject } from "../helpers/docker.ts";
import { ensureRelease, RELEASE, versionLine } from "./release.ts";

const SCRIPT = join(REPO_ROOT, "scripts/install.sh");
const PROJECT = "sentryctl-dist-install";

let server: Server;
let base = "";
const requested: string[] = [];
/** Per-path replacement bodies: how a test tampers with what the "release server" sends. */
const overrides = new Map<string, Buffer | null>();
/** Temp homes (each may hold a 100 MiB binary), removed after the suite. */
const homes: string[] = [];

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  homes.push(dir);
  return dir;
}

function serve(): Promise<void> {
  server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    requested.push(path);
    const override = overrides.get(path);
    const file = normalize(join(RELEASE, path));
    if (override === null || (!override && (!file.startsWith(RELEASE) || !isFile(file)))) {
      res.writeHead(404).end("not found\n");
      return;
    }
    res.writeHead(200, { "content-type": "application/octet-stream" });
    res.end(override ?? readFileSync(file));
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const addr = server.address();
      base = `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}`;
      resolve();
    });
  });
}

function isFile(p: string): boolean {
  return existsSync(p) && statSync(p).isFile();
}

interface Install {
  code: number | null;
  out: string;
  dir: string;
}

/** Runs install.sh under dash with a private HOME and install dir (async: the server is ours). */
function install(env: Record<string, string> = {}): Promise<Install> {
  const home = tempDir("sentryctl-dist-home-");
  const dir = join(home, "bin-dir");
  const child = spawn("dash", [SCRIPT], {
    env: {
      PATH: "/usr/local/bin:/usr/bin:/bin",
      HOME: home,
      SENTRYCTL_DOWNLOAD_URL: base,
      SENTRYCTL_INSTALL_DIR: dir,
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (out += d));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, out, dir }));
  });
}

describe("install.sh", { timeout: 180_000 }, () => {
  before(async () => {
    ensureRelease();
    await serve();
  });
  after(() => {
    cleanupProject(PROJECT);
    server?.close();
    for (const h of homes) rmSync(h, { recursive: true, force: true });
  });

  test("shellcheck -s sh finds nothing; dash parses it", () => {
    const sc = spawnSync("shellcheck", ["-s", "sh", SCRIPT], { encoding: "utf8" });
    assert.equal(sc.status, 0, sc.stdout + sc.stderr);
    const n = spawnSync("dash", ["-n", SCRIPT], { encoding: "utf8" });
    assert.equal(n.status, 0, n.stderr);
  });

  test("installs latest into SENTRYCTL_INSTALL_DIR, prints the version and a PATH hint", async () => {
    requested.length = 0;
    const r = await install();
    assert.equal(r.code, 0, r.out);
    assert.deepEqual(requested, ["/latest/sentryctl-linux-x64.tar.gz", "/latest/SHA256SUMS"]);
    assert.deepEqual(readdirSync(r.dir), ["sentryctl"]);
    assert.equal(statSync(join(r.dir, "sentryctl")).mode & 0o777, 0o755);
    const v = spawnSync(join(r.dir, "sentryctl"), ["--version"], { encoding: "utf8" });
    assert.equal(v.status, 0, v.stderr);
    assert.match(v.stdout, versionLine("linux-x64"));
    assert.match(r.out, /checksum OK \([0-9a-f]{64}\)/);
    assert.match(r.out, /sentryctl-install: sentryctl 0\.1\.0 \(bun .*; linux-x64\)\n/);
    assert.match(r.out, /bin-dir is not on your PATH; add it, e\.g\.: export PATH=/);
    assert.doesNotMatch(r.out, /libstdc\+\+/); // glibc host: no musl advice
  });

  test("SENTRYCTL_VERSION pins a release; no PATH hint when the dir is on PATH", async () => {
    requested.length = 0;
    const home = tempDir("sentryctl-dist-pin-");
    const dir = join(home, "bin");
    const r = await install({
      SENTRYCTL_VERSION: "v0.1.0",
      SENTRYCTL_INSTALL_DIR: dir,
      PATH: `${dir}:/usr/bin:/bin`,
    });
    assert.equal(r.code, 0, r.out);
    assert.deepEqual(requested, ["/v0.1.0/sentryctl-linux-x64.tar.gz", "/v0.1.0/SHA256SUMS"]);
    assert.ok(existsSync(join(dir, "sentryctl")));
    assert.doesNotMatch(r.out, /not on your PATH/);
  });

  test("a tampered archive is refused and nothing is installed", async () => {
    const real = readFileSync(join(RELEASE, "latest/sentryctl-linux-x64.tar.gz"));
    const tampered = Buffer.from(real);
    tampered[tampered.length - 100] = tampered[tampered.length - 100]! ^ 0xff;
    overrides.set("/latest/sentryctl-linux-x64.tar.gz", tampered);
    try {
      const r = await install();
      assert.equal(r.code, 1, r.out);
      assert.match(r.out, /error: checksum mismatch for sentryctl-linux-x64\.tar\.gz/);
      assert.match(r.out, /nothing was installed/);
      assert.equal(existsSync(r.dir), false, "install dir must not even be created");
    } finally {
      overrides.clear();
    }
  });

  test("SHA256SUMS without an entry for the archive is refused", async () => {
    overrides.set("/latest/SHA256SUMS", Buffer.from(`${"0".repeat(64)}  other.tar.gz\n`));
    try {
      const r = await install();
      assert.equal(r.code, 1, r.out);
      assert.match(r.out, /SHA256SUMS has no entry for sentryctl-linux-x64\.tar\.gz/);
      assert.equal(existsSync(r.dir), false);
    } finally {
      overrides.clear();
    }
  });

  test("on musl (busybox ash, wget): the musl build and the libstdc++ advice", async () => {
    // A busybox container on the host network reaches our loopback server; an empty
    // /lib/ld-musl-x86_64.so.1 makes it look like Alpine without the C++ runtime, so the
    // installed binary cannot start, which the script reports (exit 1).
    requested.length = 0;
    const child = spawn("docker", [
      "run",
      "--rm",
      "--network",
      "host",
      "--label",
      `io.sentry.sentryctl.project=${PROJECT}`,
      "-v",
      `${SCRIPT}:/install.sh:ro`,
      "-e",
      `SENTRYCTL_DOWNLOAD_URL=${base}`,
      "-e",
      "SENTRYCTL_INSTALL_DIR=/opt/bin",
      "-e",
      "HOME=/root",
      "sentryctl-test/busybox:latest",
      "sh",
      "-c",
      "mkdir -p /lib && touch /lib/ld-musl-x86_64.so.1 && sh /install.sh; echo exit=$?; ls /opt/bin",
    ], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    const code = await new Promise((resolve) => child.on("close", resolve));
    assert.equal(code, 0, out);
    assert.deepEqual(requested, ["/latest/sentryctl-linux-x64-musl.tar.gz", "/latest/SHA256SUMS"]);
    assert.match(out, /checksum OK/);
    assert.match(out, /musl build: it needs the C\+\+ runtime; on Alpine run: apk add libstdc\+\+/);
    assert.match(out, /error: installed, but \/opt\/bin\/sentryctl does not run/);
    assert.match(out, /exit=1\nsentryctl\n$/);
  });

  test("an install dir that cannot be created is an error after the check, nothing left", async () => {
    const home = tempDir("sentryctl-dist-blocked-");
    writeFileSync(join(home, "file"), "not a directory\n");
    const r = await install({
      SENTRYCTL_INSTALL_DIR: join(home, "file/bin"),
      SENTRYCTL_DOWNLOAD_URL: `${base}/`, // a trailing slash is tolerated
    });
    assert.equal(r.code, 1, r.out);
    assert.match(r.out, /checksum OK/);
    assert.match(r.out, /error: cannot create .*\/file\/bin\n/);
    assert.deepEqual(readdirSync(home), ["file"]);
  });

  test("an unknown version is a download error, nothing installed", async () => {
    const r = await install({ SENTRYCTL_VERSION: "v9.9.9" });
    assert.equal(r.code, 1, r.out);
    assert.match(r.out, /error: download failed: http:\/\/127\.0\.0\.1:\d+\/v9\.9\.9\//);
    assert.equal(existsSync(r.dir), false);
  });
});
