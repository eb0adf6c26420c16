// `sentryctl config set KEY VALUE`: change one option in `config.yml` through the `yaml`
// Document API, so comments, blank lines and key order stay as they were. A scalar is changed
// in place (keeping its trailing comment); a new key goes at the end. The file is replaced
// atomically and keeps its mode (a new one is owner-only: it may hold the secret key).

import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { isMap, isScalar, type Node, parseDocument, type Scalar, YAMLMap } from "yaml";
import { configError } from "../errors.ts";
import { loadYamlMappingFull } from "../formats/yaml-file.ts";

function readIfExists(path: string): string {
  if (!existsSync(path)) return "";
  try {
    return readFileSync(path, "utf8");
  } catch (err) {
    throw configError(`${path}: cannot read (${(err as Error).message})`);
  }
}

function isScalarValue(value: unknown): boolean {
  return value === null || ["string", "number", "boolean"].includes(typeof value);
}

/** Returns the new text of the file with `key` set to `value` (pure, for tests). */
export function withOption(
  path: string,
  text: string,
  key: string,
  value: unknown,
  opts: { float?: boolean } = {},
): string {
  loadYamlMappingFull(path, text, "1.1"); // the same errors as loading: position, line, caret
  const doc = parseDocument(text, { version: "1.1", uniqueKeys: true, prettyErrors: false });
  if (!isMap(doc.contents)) {
    const old = doc.contents as Node | null;
    const map = new YAMLMap();
    if (old) {
      map.commentBefore = old.commentBefore;
      map.comment = old.comment;
    }
    doc.contents = map as unknown as typeof doc.contents;
  }
  const map = doc.contents as YAMLMap;
  const current = map.get(key, true) as Node | undefined;
  let node: Node;
  if (isScalar(current) && isScalarValue(value)) {
    current.value = value;
    // A quoted scalar stays quoted only while it holds a string.
    if (typeof value !== "string") current.type = "PLAIN";
    node = current;
  } else {
    node = doc.createNode(value) as Node;
    if (current) {
      node.comment = current.comment;
      node.commentBefore = current.commentBefore;
    }
    map.set(key, node);
  }
  if (opts.float && isScalar(node) && typeof value === "number" && Number.isInteger(value)) {
    (node as Scalar).minFractionDigits = 1; // float('2') is 2.0, and must read back as a float
  }
  return String(doc);
}

export function setOptionInFile(
  path: string,
  key: string,
  value: unknown,
  opts: { float?: boolean } = {},
): void {
  const exists = existsSync(path);
  const text = withOption(path, readIfExists(path), key, value, opts);
  const mode = exists ? statSync(path).mode & 0o777 : 0o600;
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, text, { mode });
    renameSync(tmp, path);
  } catch (err) {
    throw configError(`${path}: cannot write (${(err as Error).message})`);
  }
}
