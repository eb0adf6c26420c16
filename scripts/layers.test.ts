import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  checkLayers,
  importsOf,
  type Layer,
  layerIndex,
  LAYERS,
  readModules,
  withLayers,
} from "./layers.ts";

const ROOT = "/repo";
const SRC = join(ROOT, "src");

/** A small tree: app on top, then data and net (peers), then base. */
const FIXTURE_LAYERS: Layer[] = [
  { members: { app: "top" } },
  { members: { data: "peer", net: "peer" } },
  { members: { base: "bottom", "errors.ts": "error type" } },
];

function check(files: Record<string, string>) {
  const modules = new Map(Object.entries(files).map(([p, t]) => [join(SRC, p), t]));
  return checkLayers(SRC, modules, FIXTURE_LAYERS, ROOT);
}

const CLEAN = {
  "app/main.ts": `import { load } from "../data/load.ts";\nimport { get } from "../net/get.ts";`,
  "data/load.ts":
    `import { util } from "../base/util.ts";\nimport { SentryError } from "../errors.ts";`,
  "net/get.ts": `import type { Util } from "../base/util.ts";`,
  "base/util.ts": `export const util = 1;`,
  "errors.ts": `export class SentryError extends Error {}`,
};

describe("the layer check", () => {
  test("a tree whose imports only point down passes", () => {
    assert.deepEqual(check(CLEAN), []);
  });

  test("an upward import fails, whatever its form", () => {
    for (
      const line of [
        `import { main } from "../app/main.ts";`,
        `import type { Main } from "../app/main.ts";`,
        `export { main } from "../app/main.ts";`,
        `export * from "../app/main.ts";`,
        `const m = await import("../app/main.ts");`,
        `type M = typeof import("../app/main.ts");`,
        `import {\n  main,\n} from "../app/main.ts";`,
      ]
    ) {
      // In a module nothing imports, so the planted line makes no cycle as well.
      const problems = check({ ...CLEAN, "base/other.ts": line });
      assert.deepEqual(problems.map((p) => p.kind), ["upward"], line);
      assert.match(problems[0]!.text, /src\/base\/other\.ts: imports \.\.\/app\/main\.ts/);
    }
  });

  test("peers in one layer may not import each other", () => {
    const problems = check({ ...CLEAN, "net/get.ts": `import { load } from "../data/load.ts";` });
    assert.deepEqual(problems.map((p) => p.kind), ["peer"]);
  });

  test("a type-only cycle inside one folder fails and is shown as a path", () => {
    const problems = check({
      ...CLEAN,
      "base/a.ts": `import type { B } from "./b.ts";\nexport interface A { b: B }`,
      "base/b.ts": `import type { C } from "./c.ts";\nexport interface B { c: C }`,
      "base/c.ts": `import type { A } from "./a.ts";\nexport interface C { a: A }`,
    });
    assert.deepEqual(problems.map((p) => p.kind), ["cycle"]);
    assert.match(
      problems[0]!.text,
      /src\/base\/a\.ts → src\/base\/b\.ts → src\/base\/c\.ts → src\/base\/a\.ts$/,
    );
  });

  test("a cycle through a dynamic import() fails too", () => {
    const problems = check({
      ...CLEAN,
      "data/load.ts": `export const load = () => import("./store.ts");`,
      "data/store.ts": `import { load } from "./load.ts";`,
    });
    assert.deepEqual(problems.map((p) => p.kind), ["cycle"]);
  });

  test("a folder in no layer fails with what to do about it", () => {
    const problems = check({ ...CLEAN, "compose/read.ts": `import "../base/util.ts";` });
    assert.deepEqual(problems.map((p) => p.kind), ["unknown"]);
    assert.match(problems[0]!.text, /src\/compose\/ is in no layer: add 'compose' to LAYERS/);
  });

  test("an import out of src/ fails", () => {
    const problems = check({ ...CLEAN, "base/util.ts": `import "../../tests/helpers/x.ts";` });
    assert.deepEqual(problems.map((p) => p.kind), ["outside"]);
  });

  test("comments and strings are not imports; packages and node: are not checked", () => {
    assert.deepEqual(
      importsOf(
        `// import "../app/a.ts";\n/* import("../app/b.ts") */\nconst s = 'import "../c.ts"';\n` +
          `import yaml from "yaml";\nimport { join } from "node:path";\nimport "./d.ts";`,
      ),
      ["./d.ts"],
    );
  });
});

describe("the declared order", () => {
  test("names every folder once", () => {
    const index = layerIndex(LAYERS);
    assert.equal(index.size, LAYERS.reduce((n, l) => n + Object.keys(l.members).length, 0));
  });

  test("docs/architecture.md shows it", () => {
    const doc = readFileSync(new URL("../docs/architecture.md", import.meta.url), "utf8");
    assert.equal(withLayers(doc), doc);
  });

  test("src/ holds to it", () => {
    const src = new URL("../src", import.meta.url).pathname;
    const root = new URL("..", import.meta.url).pathname;
    assert.deepEqual(
      checkLayers(src, readModules(src), LAYERS, root).map((p) => p.text),
      [],
    );
  });
});
