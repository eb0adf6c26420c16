// The status token file `<state dir>/status-token` (SPEC §7): generated on first need with
// mode 0600 in a 0700 directory, read on later runs. A file that others can read is tightened
// to 0600 rather than trusted as is. It is written whole (temporary file, then rename): a full
// disk leaves no empty token behind, and the error names the file and the cause.

import { chmodSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { statusTokenPath } from "../api/status-token.ts";
import { failure } from "../errors.ts";
import { writeFileAtomic } from "../runtime/atomic-file.ts";
import { diskErrorHint } from "../runtime/disk-errors.ts";

export function newSecret(bytes = 32): string {
  const raw = crypto.getRandomValues(new Uint8Array(bytes));
  return Array.from(raw, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Reads the token, creating the file (and the state dir) when missing or empty. */
export function loadOrCreateToken(stateDir: string): { token: string; path: string } {
  const path = statusTokenPath(stateDir);
  try {
    const token = readFileSync(path, "utf8").trim();
    if (token.length >= 16) {
      if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
      return { token, path };
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  const token = newSecret();
  try {
    mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    writeFileAtomic(path, `${token}\n`, 0o600);
  } catch (err) {
    throw failure(`cannot write the status token ${path}: ${(err as Error).message}`, {
      hint: diskErrorHint(err, stateDir),
      cause: err,
    });
  }
  return { token, path };
}
