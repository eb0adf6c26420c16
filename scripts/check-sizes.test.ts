import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { lineCount, MAX_LINES, oversized } from "./check-sizes.ts";

const lines = (n: number) =>
  Array.from({ length: n }, (_, i) => `export const v${i} = ${i};\n`)
    .join("");

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "sentryctl-sizes-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

test("lines are counted as wc -l counts them", () => {
  assert.equal(lineCount(""), 0);
  assert.equal(lineCount("a\n"), 1);
  assert.equal(lineCount("a\nb"), 2);
  assert.equal(lineCount(lines(400)), 400);
});

test("a 401-line module fails the check, naming it; 400 lines pass", () => {
  assert.equal(MAX_LINES, 400);
  const root = tree({
    "src/ok/at-limit.ts": lines(400),
    "src/big/too-long.ts": lines(401),
    "bench/long.ts": lines(401) + "// no newline at the end",
    "main.ts": lines(3),
  });
  assert.deepEqual(oversized(root).map((l) => l.split(":")[0]).sort(), [
    "bench/long.ts",
    "src/big/too-long.ts",
  ]);
  const [src, bench] = oversized(root);
  assert.match(src!, /^src\/big\/too-long\.ts: 401 lines, over the 400-line limit/);
  assert.match(bench!, /^bench\/long\.ts: 402 lines/);
});

test("tests, non-TypeScript files and node_modules are not counted", () => {
  const root = tree({
    "src/a/big.test.ts": lines(900),
    "src/a/data.json": lines(900),
    "scripts/node_modules/dep/index.ts": lines(900),
    "tests/helpers/fake.ts": lines(10),
  });
  assert.deepEqual(oversized(root), []);
});

test("the repository passes (the same check CI runs)", () => {
  const script = fileURLToPath(new URL("./check-sizes.ts", import.meta.url));
  const r = spawnSync(process.execPath, [script], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /sizes: ok/);
});
