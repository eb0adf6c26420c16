// Module-boundary check (run by scripts/test-all.sh): layers point down. Every relative import
// (static, `export … from`, dynamic `import()`) of a non-test module under src/ is resolved to
// its top-level directory and held against the rules below; violations are listed, exit 1.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SRC = join(ROOT, "src");

/** Directory → directories (or top-level files, as `errors.ts`) it must never import. */
const FORBIDDEN: Record<string, string[]> = {
  // Only the CLI edge may depend on the CLI.
  "*": ["cli"],
  // Pure helpers and the runtime adapter stand on nothing but each other and the error type.
  lib: [
    "bootstrap",
    "settings",
    "options",
    "backends",
    "docker",
    "orchestrator",
    "services",
    "devservices",
  ],
  runtime: [
    "bootstrap",
    "settings",
    "options",
    "backends",
    "docker",
    "orchestrator",
    "services",
    "devservices",
  ],
  // The chain assembles settings, options and backends; none of those may reach back into it.
  settings: ["bootstrap", "orchestrator", "docker"],
  options: ["bootstrap", "orchestrator", "docker"],
  logging: ["bootstrap", "orchestrator", "docker"],
  // Docker knows nothing of services or orchestration; services are plain data.
  docker: ["bootstrap", "settings", "options", "backends", "orchestrator", "services"],
  services: ["bootstrap", "orchestrator", "docker", "backends"],
  orchestrator: ["bootstrap", "settings", "options", "backends", "devservices"],
  // The project-file reader is plain data from files: no engine, no settings, no orchestration.
  compose: [
    "bootstrap",
    "settings",
    "options",
    "backends",
    "docker",
    "orchestrator",
    "services",
    "devservices",
  ],
  // The devservices drop-in stands on the orchestrator; nothing below it knows of it.
  devservices: ["bootstrap", "settings", "options", "backends"],
};

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (name.endsWith(".ts") && !name.endsWith(".test.ts") && name !== "testing.ts") {
      out.push(path);
    }
  }
  return out;
}

/** `src/docker/client.ts` → `docker`; `src/errors.ts` → `errors.ts`. */
function layerOf(path: string): string {
  return relative(SRC, path).split(sep)[0]!;
}

const SPECIFIER =
  /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

export function violations(): string[] {
  const found: string[] = [];
  for (const file of walk(SRC)) {
    const from = layerOf(file);
    const banned = [...FORBIDDEN["*"]!, ...(FORBIDDEN[from] ?? [])].filter((l) => l !== from);
    const text = readFileSync(file, "utf8");
    for (const match of text.matchAll(SPECIFIER)) {
      const spec = match[1] ?? match[2]!;
      if (!spec.startsWith(".")) continue;
      const target = resolve(dirname(file), spec);
      if (!target.startsWith(SRC + sep)) continue;
      const to = layerOf(target);
      if (banned.includes(to)) {
        found.push(`${relative(ROOT, file)}: imports ${spec} (${from} must not depend on ${to})`);
      }
    }
  }
  return found;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const list = violations();
  for (const line of list) console.error(line);
  console.log(list.length === 0 ? "layers: ok" : `layers: ${list.length} violation(s)`);
  process.exit(list.length === 0 ? 0 : 1);
}
