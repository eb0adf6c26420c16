// sentry.conf.ts runs in a worker: hangs are bounded and process.exit is reported.

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadTsSettingsModule } from "./ts-loader.ts";

// A directory per file: Bun's resolver caches directory listings, and a real settings file
// exists before sentryctl starts.
const file = (name: string, text: string) => {
  const path = join(mkdtempSync(join(tmpdir(), "sentryctl-tsload-")), name);
  writeFileSync(path, text);
  return path;
};

test("a function export receives the defaults and returns overrides", async () => {
  const path = file("ok.ts", "export default (d: { A: number }) => ({ B: d.A + 1 });\n");
  assert.deepEqual(await loadTsSettingsModule(path, { A: 41 }), {
    kind: "value",
    value: { B: 42 },
  });
});

test("an endless loop is stopped at the bound", async () => {
  const path = file("loop.ts", "while (true) {}\nexport default {};\n");
  const started = Date.now();
  assert.deepEqual(await loadTsSettingsModule(path, {}, 300), { kind: "timeout", ms: 300 });
  assert.ok(Date.now() - started < 3000);
});

test("a promise that never settles is stopped at the bound", async () => {
  const path = file("hang.ts", "await new Promise(() => {});\nexport default {};\n");
  assert.deepEqual(await loadTsSettingsModule(path, {}, 300), { kind: "timeout", ms: 300 });
});

test("a throwing function export is reported as a call error", async () => {
  const path = file("throw.ts", "export default () => { throw new RangeError('nope'); };\n");
  const result = await loadTsSettingsModule(path, {});
  assert.equal(result.kind, "call-error");
  assert.equal((result as { name: string }).name, "RangeError");
  assert.equal((result as { message: string }).message, "nope");
});
