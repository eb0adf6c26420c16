// Module-size check (run by scripts/test-all.sh): no non-test source file over 400 lines, the
// project's "small modules with one job" rule made mechanical. Counts every `.ts` file under
// src/, scripts/, bench/ and tests/helpers/ (and main.ts) except tests (`*.test.ts`), the way
// `wc -l` counts lines. A file over the limit is split by concern, not squeezed.

import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const MAX_LINES = 400;

/** The folders (and files) checked, relative to the repository root. */
export const CHECKED = ["src", "scripts", "bench", "tests/helpers", "main.ts"];

/** Lines as `wc -l` counts them: newline characters, plus a last line without one. */
export function lineCount(text: string): number {
  if (text === "") return 0;
  const newlines = text.split("\n").length - 1;
  return text.endsWith("\n") ? newlines : newlines + 1;
}

/** Every non-test `.ts` file under `path` (a folder or one file). */
export function sourceFiles(path: string, out: string[] = []): string[] {
  if (!existsSync(path)) return out;
  if (!statSync(path).isDirectory()) {
    if (path.endsWith(".ts") && !path.endsWith(".test.ts")) out.push(path);
    return out;
  }
  for (const name of readdirSync(path).sort()) {
    if (name === "node_modules") continue;
    sourceFiles(join(path, name), out);
  }
  return out;
}

/** One line per file over `max` lines, paths relative to `root`. */
export function oversized(root: string, paths = CHECKED, max = MAX_LINES): string[] {
  const found: string[] = [];
  for (const file of paths.flatMap((p) => sourceFiles(join(root, p)))) {
    const lines = lineCount(readFileSync(file, "utf8"));
    if (lines > max) {
      found.push(
        `${relative(root, file)}: ${lines} lines, over the ${max}-line limit for a non-test ` +
          `module: split it by concern`,
      );
    }
  }
  return found;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
  const list = oversized(root);
  for (const line of list) console.error(line);
  console.log(
    list.length === 0 ? `sizes: ok (≤ ${MAX_LINES} lines)` : `sizes: ${list.length} problem(s)`,
  );
  process.exit(list.length === 0 ? 0 : 1);
}
