// Where a local client (`api`, `serve --link`) finds the status server's token: the file
// `<state dir>/status-token` that `serve` writes (status/token.ts creates it). Read here only;
// the token is sent to the local status server's origin and nowhere else.

import { readFileSync } from "node:fs";
import { join } from "node:path";

export const STATUS_TOKEN_FILE = "status-token";

export function statusTokenPath(stateDir: string): string {
  return join(stateDir, STATUS_TOKEN_FILE);
}

/** The token (trimmed), or why the file cannot be read; `path` names it for messages. */
export function readStatusToken(
  stateDir: string,
): { path: string; token: string; error?: undefined } | {
  path: string;
  token?: undefined;
  error: string;
} {
  const path = statusTokenPath(stateDir);
  try {
    return { path, token: readFileSync(path, "utf8").trim() };
  } catch (err) {
    return { path, error: (err as Error).message };
  }
}
