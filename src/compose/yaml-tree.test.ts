import { test } from "node:test";
import assert from "node:assert/strict";
import { load, loadError } from "../../tests/helpers/compose-project.ts";
import { MAX_DEPTH, parseYamlFile } from "./yaml-tree.ts";

test("anchors, aliases and merge keys: own keys win, then earlier sources", async () => {
  const { value } = await parseYamlFile(
    "f.yml",
    [
      "x-a: &a {restart: always, image: a, labels: {k: a}}",
      "x-b: &b {image: b, user: b}",
      "svc:",
      "  <<: [*a, *b]",
      "  image: own",
      "one:",
      "  <<: *b",
      "list: [*a, *a]",
    ].join("\n"),
  );
  const v = value as Record<string, Record<string, unknown>>;
  assert.deepEqual(v.svc, { image: "own", restart: "always", labels: { k: "a" }, user: "b" });
  assert.deepEqual(v.one, { image: "b", user: "b" });
  assert.deepEqual(v.list, [v["x-a"], v["x-a"]]);
});

test("YAML 1.2: yes/on are strings, a quoted << is a key, __proto__ is a plain key", async () => {
  const { value } = await parseYamlFile("f.yml", "a: yes\nb: on\n'<<': 1\n__proto__: {x: 1}\n");
  const v = value as Record<string, unknown>;
  assert.equal(v.a, "yes");
  assert.equal(v.b, "on");
  assert.equal(v["<<"], 1);
  assert.deepEqual(Object.getOwnPropertyDescriptor(v, "__proto__")?.value, { x: 1 });
  assert.equal(Object.getPrototypeOf(v), Object.prototype);
});

test("positions of values and keys are remembered by path", async () => {
  const { source } = await parseYamlFile(
    "f.yml",
    "services:\n  web:\n    image: x\n    ports:\n      - 80\n",
  );
  assert.deepEqual(source.at(["services", "web", "ports", 0]), { file: "f.yml", line: 5, col: 9 });
  assert.deepEqual(source.at(["services", "web", "image"], "key"), {
    file: "f.yml",
    line: 3,
    col: 5,
  });
  assert.deepEqual(
    source.at(["services", "web", "nope", 3]),
    { file: "f.yml", line: 3, col: 5 },
    "nearest ancestor",
  );
});

test("bad YAML: file:line:col, the line and a caret, exit 3", async () => {
  const msg = await loadError("services:\n  web:\n    image: [unclosed\n");
  assert.match(msg, /^\/p\/compose\.yml:\d+:\d+: /);
  assert.match(msg, /\n\d+ \| /);
  assert.match(msg, /\^$/);
  const dup = await loadError("services:\n  web: {}\n  web: {}\n");
  assert.match(dup, /compose\.yml:3:3: .*(unique|duplicate)/i);
  assert.match(dup, /3 \| {3}web: \{\}\n {6}\^/);
});

test("a caret under a line with tabs lines up (tabs shown as one space)", async () => {
  const msg = await loadError('services:\n  web:\n    image: x\n    command: "a\t$"\n');
  const [, line, caret] = msg.split("\n");
  assert.match(msg, /compose\.yml:4:/);
  assert.equal(line, '4 |     command: "a $"');
  assert.equal(caret!.indexOf("^"), line!.indexOf("$"), `${line}\n${caret}`);
});

test("a billion-laughs alias bomb stops quickly with a positioned error", async () => {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 9; i++) {
    const prev = String.fromCharCode(96 + i);
    const cur = String.fromCharCode(97 + i);
    lines.push(`${cur}: &${cur} [${Array(9).fill(`*${prev}`).join(",")}]`);
  }
  const started = performance.now();
  const msg = await loadError(lines.join("\n"));
  assert.ok(performance.now() - started < 5000, "bounded time");
  assert.match(msg, /more than \d+ values once aliases are expanded/);
  assert.match(msg, /compose\.yml:\d+:\d+/);
});

test("deep nesting and huge files are refused, not crashed on", async () => {
  const deep = "x: " + "[".repeat(MAX_DEPTH + 50) + "]".repeat(MAX_DEPTH + 50);
  assert.match(await loadError(deep), /nested more than \d+ levels deep|compose\.yml:1:/);
  const huge = "x: '" + "a".repeat(9 * 1024 * 1024) + "'\n";
  assert.match(await loadError(huge), /characters long/);
});

test("an unknown alias and non-string keys are positioned errors", async () => {
  assert.match(await loadError("a: *nope\n"), /compose\.yml:1:4: .*nope/);
  assert.match(
    await loadError("services:\n  ? [a, b]\n  : x\n"),
    /compose\.yml:2:5: keys must be strings/,
  );
});

test("malformed and odd documents", async () => {
  assert.match(await loadError("- just\n- a list\n"), /compose\.yml:1:1: .*must be a mapping/);
  assert.match(await loadError("services: [a]\n"), /compose\.yml:1:11: services must be a mapping/);
  assert.match(await loadError("\x00\x01garbage: ["), /compose\.yml:1:\d+/);
  const empty = await load("");
  assert.deepEqual(empty.model.services, {});
});

test("tags other than compose's !reset/!override warn with file:line", async () => {
  const { warnings } = await parseYamlFile("f.yml", "a: !custom x\nb: !!str 1\n");
  assert.deepEqual(warnings, ["f.yml:1: unknown tag '!custom'; read as a plain value"]);
});
