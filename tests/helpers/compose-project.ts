// Test doubles for project-file (compose) tests: an in-memory file system and a one-call
// loader of `/p/compose.yml`.

import { loadProject } from "../../src/compose/project.ts";
import type { LoadedProject, LoadOptions, ProjectFs } from "../../src/compose/types.ts";

export function memFs(files: Record<string, string>): ProjectFs {
  return { readText: (path) => Promise.resolve(files[path]) };
}

/** Loads `/p/compose.yml` (plus any other files given) with an empty environment. */
export function load(
  text: string,
  extra: Partial<LoadOptions> & { files?: string[]; others?: Record<string, string> } = {},
): Promise<LoadedProject> {
  const { others, ...options } = extra;
  return loadProject({
    files: ["/p/compose.yml"],
    env: {},
    cwd: "/p",
    home: "/home/u",
    fs: memFs({ "/p/compose.yml": text, ...others }),
    ...options,
  });
}

/** The configuration error a load throws, message and details joined. */
export async function loadError(
  text: string,
  extra: Parameters<typeof load>[1] = {},
): Promise<string> {
  try {
    await load(text, extra);
  } catch (err) {
    const e = err as { message: string; details?: string; category?: string };
    if (e.category !== "configuration") throw err;
    return `${e.message}\n${e.details ?? ""}`;
  }
  throw new Error("expected a configuration error");
}
