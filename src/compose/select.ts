// Which stack a command runs (SPEC §3a): `-f FILE…` > `./devservices/config.yml` in the current
// directory > the built-in catalog.

import { resolve } from "node:path";
import { nodeFs } from "./project.ts";
import type { ProjectFs, SourceSelection } from "./types.ts";

export const DEVSERVICES_FILE = "devservices/config.yml";

export async function selectStackSource(
  options: { files?: readonly string[]; cwd: string; fs?: ProjectFs },
): Promise<SourceSelection> {
  if (options.files && options.files.length > 0) {
    return { kind: "files", files: options.files.map((f) => resolve(options.cwd, f)), via: "flag" };
  }
  const devservices = resolve(options.cwd, DEVSERVICES_FILE);
  if (await (options.fs ?? nodeFs()).readText(devservices) !== undefined) {
    return { kind: "files", files: [devservices], via: "devservices" };
  }
  return { kind: "catalog" };
}
