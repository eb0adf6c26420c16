// The one declared layer order of src/ and the check against it. Every top-level folder (and
// top-level file) of src/ sits in exactly one layer; a module may import only from its own
// folder or from layers below its own (folders sharing a layer are independent of each other),
// and no chain of imports may come back to where it started. Type-only imports, `export … from`
// and dynamic `import()` all count. docs/architecture.md shows this order, rendered from here by
// `renderLayers()` (scripts/check-layers.ts fails when the page and the declaration differ).

import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import ts from "typescript";

export interface Layer {
  /** Folder (or top-level file) → what it is, one line for the architecture page. */
  members: Record<string, string>;
}

/** Top first: `cli` may import everything below it, `errors.ts` nothing. */
export const LAYERS: readonly Layer[] = [
  {
    members: {
      cli: "the edge: argv, command table, help, error → exit code, crash capture and flush; " +
        "one file per command in commands/, implementations loaded lazily",
    },
  },
  {
    members: {
      bootstrap: "the initializer chain: named steps run once per process, as far as a command " +
        "needs (chain types in types.ts, steps in steps/, configure-sdk binds the telemetry)",
    },
  },
  {
    members: {
      ci: "`with`/`run`: env vars, shebang options, isolated projects, up → spawn → down, " +
        "orphan sweep",
      status: "the status server: a Hono app over deps.ts, ingest, ring buffer, pages, SSE, " +
        "the Engine-backed services cache",
    },
  },
  {
    members: {
      devservices: "Sentry's devservices configs: read, fetch remote dependencies, plan a " +
        "mode, the state of what runs, the programs supervisor; containers through the " +
        "orchestrator",
    },
  },
  {
    members: {
      orchestrator: "observe → plan (pure) → execute against an Engine; up/down/rm, logs, " +
        "exec, attach, doctor, wait/ probes",
    },
  },
  {
    members: {
      docker: "the Engine interface and its Docker API client over a Transport; endpoints, " +
        "log demux",
      services: "the dev-services catalog (plain data) and its resolution, dependency graph, " +
        "default config files",
      api: "the Sentry API client (fetch injected) and the `api` command's request building",
      compose: "project files (compose-spec YAML): read, interpolate, merge, select — plain " +
        "data with positions, no engine",
    },
  },
  {
    members: {
      telemetry: "the process's Telemetry (SDK + metrics binding) and the SDK itself; " +
        "@sentry/core only with a DSN",
    },
  },
  {
    members: {
      backends: "Sentry's services layer: backends by name, metrics backends and their " +
        "binding to the pipeline, the permission backend over store/",
    },
  },
  {
    members: {
      store: "users and permissions: SQLite and Postgres, migrations, Django PBKDF2",
      metrics: "the metrics pipeline (queue + one consumer), its sink interface, the " +
        "Prometheus registry",
    },
  },
  {
    members: {
      settings: "Sentry's settings rules: discovery, settings files, defaults, bootstrap " +
        "options, legacy settings, validators, origins, ConfigState, state directory",
    },
  },
  { members: { options: "the options registry (Sentry's types, defaults, flags) and manager" } },
  {
    members: {
      formats: "file-format readers: YAML (fast path, with positions, the library loader), " +
        "TS literals, the TS-module worker, bounded reads",
    },
  },
  {
    members: {
      logging: "structured logs to stderr (human / machine)",
      runtime: "the runtime boundary: adapter.ts (the only Bun.*/Deno.*), ProcessInputs, " +
        "the Clock and poll/retry, fd writers, child processes, lock, session, relaunch " +
        "(serve restarting itself in place with its allocator setting)",
    },
  },
  { members: { lib: "pure helpers: python repr, suggestions, tar, echo, hashes, ordering" } },
  {
    members: {
      "errors.ts": "the one error type; its category is the exit code",
      "version.ts": "version and build stamp",
    },
  },
];

/** Folder → its layer's index (0 = top). */
export function layerIndex(layers: readonly Layer[] = LAYERS): Map<string, number> {
  const index = new Map<string, number>();
  layers.forEach((layer, i) => {
    for (const name of Object.keys(layer.members)) {
      if (index.has(name)) throw new Error(`layers: '${name}' is declared twice`);
      index.set(name, i);
    }
  });
  return index;
}

/** The relative specifiers a module imports: static, type-only, re-exports, `import()`. */
export function importsOf(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles
    .map((f) => f.fileName)
    .filter((s) => s.startsWith("./") || s.startsWith("../"));
}

/** Source modules of a tree: every `.ts` but tests (`*.test.ts`). */
export function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sourceFiles(path, out);
    else if (name.endsWith(".ts") && !name.endsWith(".test.ts")) out.push(path);
  }
  return out;
}

export interface Problem {
  kind: "unknown" | "upward" | "peer" | "outside" | "cycle";
  text: string;
}

/**
 * Checks the modules under `src` (path → text) against `layers`. Paths in messages are relative
 * to `root`.
 */
export function checkLayers(
  src: string,
  modules: ReadonlyMap<string, string>,
  layers: readonly Layer[] = LAYERS,
  root = dirname(src),
): Problem[] {
  const index = layerIndex(layers);
  const problems: Problem[] = [];
  const top = (path: string) => relative(src, path).split(sep)[0]!;
  const shown = (path: string) => relative(root, path).split(sep).join("/");

  const unknown = new Set<string>();
  for (const file of modules.keys()) {
    const name = top(file);
    if (!index.has(name) && !unknown.has(name)) {
      unknown.add(name);
      const what = name.endsWith(".ts") ? `src/${name}` : `the folder src/${name}/`;
      problems.push({
        kind: "unknown",
        text: `${what} is in no layer: add '${name}' to LAYERS in scripts/layers.ts, at the ` +
          `place in the order where everything it imports is below it, then run ` +
          `'bun scripts/check-layers.ts --write' to update docs/architecture.md`,
      });
    }
  }

  const edges = new Map<string, string[]>();
  for (const [file, text] of modules) {
    const from = top(file);
    const targets: string[] = [];
    for (const spec of importsOf(text)) {
      const target = resolve(dirname(file), spec);
      if (!target.startsWith(src + sep)) {
        problems.push({
          kind: "outside",
          text: `${shown(file)}: imports ${spec}, outside src/ (test support stays in tests/)`,
        });
        continue;
      }
      targets.push(target);
      const to = top(target);
      if (to === from || !index.has(from) || !index.has(to)) continue;
      const a = index.get(from)!;
      const b = index.get(to)!;
      if (b < a) {
        problems.push({
          kind: "upward",
          text: `${shown(file)}: imports ${spec}, but ${from} (layer ${a + 1}) is below ${to} ` +
            `(layer ${b + 1}): layers only point down`,
        });
      } else if (b === a) {
        problems.push({
          kind: "peer",
          text: `${shown(file)}: imports ${spec}, but ${from} and ${to} share layer ${a + 1} ` +
            `and are independent: move one below the other in scripts/layers.ts, or the ` +
            `shared code down`,
        });
      }
    }
    edges.set(file, targets);
  }

  for (const { cycle } of cycles(edges)) {
    problems.push({
      kind: "cycle",
      text: `import cycle (type-only and dynamic imports count): ${cycle.map(shown).join(" → ")}`,
    });
  }
  return problems;
}

/**
 * The strongly connected components of the graph that hold a cycle: their modules, and one
 * cycle through them (first module repeated at the end) to show.
 */
export function cycles(
  edges: ReadonlyMap<string, readonly string[]>,
): { members: string[]; cycle: string[] }[] {
  // Tarjan's algorithm, iterative so deep graphs cannot overflow the stack.
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  for (const start of edges.keys()) {
    if (index.has(start)) continue;
    const work: { node: string; next: number }[] = [{ node: start, next: 0 }];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const out = (edges.get(frame.node) ?? []).filter((n) => edges.has(n));
      if (frame.next < out.length) {
        const w = out[frame.next++]!;
        if (!index.has(w)) {
          index.set(w, counter);
          low.set(w, counter++);
          stack.push(w);
          onStack.add(w);
          work.push({ node: w, next: 0 });
        } else if (onStack.has(w)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(w)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          component.push(w);
        } while (w !== frame.node);
        const selfLoop = (edges.get(frame.node) ?? []).includes(frame.node);
        if (component.length > 1 || selfLoop) components.push(component);
      }
    }
  }
  return components.map((c) => ({ members: c, cycle: pathBack(c, edges) }));
}

/** A shortest path from the component's first (sorted) module back to itself. */
function pathBack(component: string[], edges: ReadonlyMap<string, readonly string[]>): string[] {
  const members = new Set(component);
  const start = [...component].sort()[0]!;
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const next of edges.get(node) ?? []) {
      if (!members.has(next)) continue;
      if (next === start) {
        const path = [start];
        for (let at = node; at !== start; at = previous.get(at)!) path.splice(1, 0, at);
        return [...path, start];
      }
      if (!previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  return [start, start];
}

/** The layer order as docs/architecture.md shows it (between its `layers:` markers). */
export function renderLayers(layers: readonly Layer[] = LAYERS): string {
  const width = Math.max(
    ...layers.flatMap((l) => Object.keys(l.members).map((n) => displayName(n).length)),
  );
  const lines: string[] = [];
  layers.forEach((layer, i) => {
    const names = Object.keys(layer.members);
    names.forEach((name, j) => {
      const label = j === 0 ? String(i + 1).padStart(2) : "  ";
      lines.push(`${label}  ${displayName(name).padEnd(width)}  ${layer.members[name]}`);
    });
  });
  return [
    "```",
    ...lines,
    "```",
  ].join("\n");
}

function displayName(name: string): string {
  return name.endsWith(".ts") ? `src/${name}` : `src/${name}/`;
}

export const BEGIN = "<!-- layers:begin (generated from scripts/layers.ts) -->";
export const END = "<!-- layers:end -->";

/** `doc` with the text between the markers replaced; undefined when the markers are missing. */
export function withLayers(doc: string, layers: readonly Layer[] = LAYERS): string | undefined {
  const a = doc.indexOf(BEGIN);
  const b = doc.indexOf(END);
  if (a < 0 || b < a) return undefined;
  // Blank lines around the code block: the form a Markdown formatter (deno fmt) keeps.
  return `${doc.slice(0, a + BEGIN.length)}\n\n${renderLayers(layers)}\n\n${doc.slice(b)}`;
}

/** Reads every source module under `src`. */
export function readModules(src: string): Map<string, string> {
  return new Map(sourceFiles(src).map((f) => [f, readFileSync(f, "utf8")]));
}
