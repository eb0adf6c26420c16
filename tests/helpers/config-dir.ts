// A throwaway config directory (`--config DIR`) for end-to-end tests: each file written as given
// (sentry.conf.yml, config.yml, …), nothing read from the developer's ~/.sentry.

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A new temp directory holding `files` (name → text). A string is the sentry.conf.yml. */
export function configDir(
  files: Record<string, string> | string,
  prefix = "sentryctl-conf-",
): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const all = typeof files === "string" ? { "sentry.conf.yml": files } : files;
  for (const [name, text] of Object.entries(all)) writeFileSync(join(dir, name), text);
  return dir;
}
