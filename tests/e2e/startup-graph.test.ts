// A guard on start-up: what every command loads before it runs. The binary is built with code
// splitting, and a chunk's top-level imports are evaluated when it loads, so a static import
// added in the wrong place (node:http, docker-modem, the yaml library…) silently puts its cost
// on every command, `--version` included. This builds the same split bundle and walks the entry
// chunk's static imports: none of the heavy modules may be reachable without a dynamic import().

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT } from "../helpers/cli.ts";

/** Built-ins that build stream classes or big tables on load (measured: 2–20 ms each). */
const HEAVY_BUILTINS = [
  "http",
  "https",
  "net",
  "tls",
  "crypto",
  "zlib",
  "child_process",
  "dgram",
  "tty",
  "util",
  "url",
  "os",
];
/** Packages only some commands need. */
const HEAVY_PACKAGES = ["docker-modem", "ssh2", "yaml", "hono", "@sentry", "postgres"];

const STATIC_IMPORT = /^import\s*(?:[\w$*\s,]*(?:\{[^}]*\})?[\w$*\s,]*from\s*)?"([^"]+)"/gm;

test("the entry chunk reaches no heavy built-in or package without a dynamic import()", {
  timeout: 120_000,
}, () => {
  const out = mkdtempSync(join(tmpdir(), "sentryctl-graph-"));
  const bun = process.versions.bun ? process.execPath : "bun";
  const built = spawnSync(bun, [
    "build",
    "main.ts",
    "--splitting",
    "--target=bun",
    "--format=esm",
    "--outdir",
    out,
  ], { cwd: REPO_ROOT, encoding: "utf8" });
  assert.equal(built.status, 0, built.stderr);

  const seen = new Set<string>();
  const builtins = new Set<string>();
  const packages = new Set<string>();
  const walk = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = readFileSync(join(out, file), "utf8");
    for (const m of source.matchAll(/^\/\/ node_modules\/((?:@[^/]+\/)?[^/]+)\//gm)) {
      packages.add(m[1]!);
    }
    for (const [, spec] of source.matchAll(STATIC_IMPORT)) {
      if (spec!.startsWith("./")) walk(spec!.slice(2));
      else builtins.add(spec!.replace(/^node:/, ""));
    }
  };
  walk("main.js");
  assert.ok(seen.size > 3, `walked ${seen.size} chunks: the import pattern no longer matches`);
  assert.deepEqual(HEAVY_BUILTINS.filter((b) => builtins.has(b)), [], [...builtins].join(", "));
  assert.deepEqual(
    [...packages].filter((p) => HEAVY_PACKAGES.some((h) => p === h || p.startsWith(`${h}/`))),
    [],
  );
});
