// A project file's YAML (1.2, anchors, aliases, `<<` merge keys) turned into plain values while
// remembering each node's offset by path (./source.ts). The walk is ours rather than the
// library's `toJS` so that positions survive and alias expansion is bounded: a "billion laughs"
// file stops at a node budget with a positioned error instead of exhausting memory.

import type { Document, Node, Pair } from "yaml";
import { configError } from "../errors.ts";
import { LineIndex, type Path, pathKey, positionedError, SourceMap } from "./source.ts";

type YamlLibrary = typeof import("yaml");
let library: YamlLibrary | undefined;

/** The `yaml` package is loaded on first use: most commands never read a project file. */
export async function loadYamlLibrary(): Promise<YamlLibrary> {
  library ??= await import("yaml");
  return library;
}

/** Largest project file read, in characters (self-hosted's is ~40 KB). */
export const MAX_FILE_CHARS = 8 * 1024 * 1024;
/** Values produced by one file, aliases expanded: bounds alias bombs. */
export const MAX_NODES = 250_000;
/** Nesting depth of collections. */
export const MAX_DEPTH = 200;

export interface ParsedFile {
  value: unknown;
  source: SourceMap;
  /** `file:line: …` for tags other than compose's `!reset`/`!override`. */
  warnings: string[];
}

/** Sets a key on a plain object, `__proto__` included, without touching the prototype. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(target, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else target[key] = value;
}

export async function parseYamlFile(file: string, text: string): Promise<ParsedFile> {
  const yaml = await loadYamlLibrary();
  if (text.length > MAX_FILE_CHARS) {
    throw configError(`${file}: the file is ${text.length} characters long`, {
      hint: `project files of more than ${MAX_FILE_CHARS} characters are refused`,
    });
  }
  const lines = new LineIndex(text);
  const doc = yaml.parseDocument(text, {
    version: "1.2",
    uniqueKeys: true,
    prettyErrors: false,
    logLevel: "silent",
    merge: false,
  });
  const first = doc.errors[0];
  if (first) {
    const at = { file, ...lines.position(first.pos[0]) };
    const reason = (first.message.split("\n")[0] ?? first.message).replace(
      / at line \d+, column \d+:?$/,
      "",
    );
    throw positionedError(lines, at, reason, "fix the YAML syntax at the position shown");
  }
  const source = new SourceMap(file, text);
  const walker = new Walker(yaml, doc, source, lines);
  const value = doc.contents === null ? null : walker.walk(doc.contents as Node, [], 0);
  return { value, source, warnings: walker.warnings };
}

class Walker {
  #nodes = 0;
  readonly warnings: string[] = [];
  readonly #tagged = new Set<number>();
  /** Anchors by name, in document order: the library's `Alias.resolve` searches the whole
   * document for every alias, which made self-hosted's ~300 aliases take seconds. */
  readonly #anchors = new Map<string, { at: number; node: Node }[]>();
  constructor(
    readonly yaml: YamlLibrary,
    readonly doc: Document.Parsed,
    readonly source: SourceMap,
    readonly lines: LineIndex,
  ) {
    yaml.visit(doc, (_key, node) => {
      const anchor = (node as { anchor?: string } | null)?.anchor;
      if (anchor && (yaml.isNode(node)) && !yaml.isAlias(node)) {
        const list = this.#anchors.get(anchor) ?? [];
        list.push({ at: node.range?.[0] ?? 0, node });
        this.#anchors.set(anchor, list);
      }
    });
  }

  /** The node an alias names: the last anchor of that name before it (anchors may repeat). */
  resolve(alias: Node & { source: string }): Node | undefined {
    const at = alias.range?.[0] ?? 0;
    let found: Node | undefined;
    for (const a of this.#anchors.get(alias.source) ?? []) if (a.at < at) found = a.node;
    return found;
  }

  fail(node: Node | null | undefined, message: string, hint?: string): never {
    const offset = node?.range?.[0] ?? 0;
    throw positionedError(
      this.lines,
      { file: this.source.file, ...this.lines.position(offset) },
      message,
      hint,
    );
  }

  walk(node: Node, path: Path, depth: number): unknown {
    const { isAlias, isMap, isScalar, isSeq } = this.yaml;
    if (++this.#nodes > MAX_NODES) {
      this.fail(
        node,
        `more than ${MAX_NODES} values once aliases are expanded`,
        "simplify the anchors and aliases in the file",
      );
    }
    if (depth > MAX_DEPTH) this.fail(node, `nested more than ${MAX_DEPTH} levels deep`);
    const key = pathKey(path);
    if (!this.source.values.has(key) && node.range) this.source.values.set(key, node.range[0]);
    const tag = (node as { tag?: string }).tag;
    if (tag === "!reset" || tag === "!override") this.source.tags.set(key, tag);
    else if (tag?.startsWith("!") && node.range && !this.#tagged.has(node.range[0])) {
      this.#tagged.add(node.range[0]); // once per place, however often an alias repeats it
      const { line } = this.lines.position(node.range[0]);
      this.warnings.push(
        `${this.source.file}:${line}: unknown tag '${tag}'; read as a plain value`,
      );
    }
    if (tag === "!reset") return null; // its value (`[]`, `{}`, `null`) only says "nothing"
    if (isAlias(node)) {
      const target = this.resolve(node);
      if (!target) this.fail(node, `unknown alias '*${node.source}'`);
      return this.walk(target as Node, path, depth + 1);
    }
    if (isScalar(node)) return typeof node.value === "bigint" ? Number(node.value) : node.value;
    if (isSeq(node)) {
      return node.items.map((item, i) => this.walk(item as Node, [...path, i], depth + 1));
    }
    if (isMap(node)) return this.mapping(node.items as Pair[], path, depth);
    return this.fail(node, "unsupported YAML node");
  }

  mapping(pairs: Pair[], path: Path, depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const merges: Node[] = [];
    for (const pair of pairs) {
      const keyNode = pair.key as Node | null;
      if (this.yaml.isScalar(keyNode) && keyNode.value === "<<" && keyNode.type === "PLAIN") {
        merges.push(pair.value as Node);
        continue;
      }
      const name = this.keyName(keyNode);
      if (keyNode?.range && !this.source.keys.has(pathKey([...path, name]))) {
        this.source.keys.set(pathKey([...path, name]), keyNode.range[0]);
      }
      const value = pair.value === null
        ? null
        : this.walk(pair.value as Node, [...path, name], depth + 1);
      setOwn(out, name, value);
    }
    // `<<: *a` or `<<: [*a, *b]`: keys the mapping does not set itself, earlier sources first.
    for (const merge of merges) {
      const resolved = this.yaml.isAlias(merge) ? this.resolve(merge) : merge;
      const sources = this.yaml.isSeq(resolved) ? resolved.items as Node[] : [merge];
      for (const item of sources) {
        const value = this.walk(item, path, depth + 1);
        if (value === null || typeof value !== "object" || Array.isArray(value)) {
          this.fail(item, "a merge key (<<) needs a mapping or a list of mappings");
        }
        for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
          if (!Object.hasOwn(out, k)) setOwn(out, k, v);
        }
      }
    }
    return out;
  }

  keyName(node: Node | null): string {
    if (this.yaml.isScalar(node) && node.value !== null && typeof node.value !== "object") {
      return String(node.value);
    }
    return this.fail(node, "keys must be strings", "quote the key, e.g. `'1': value`");
  }
}
