// Where the local status server listens (SPEC §6): a running `serve` records its address in
// `<state dir>/status-server.json` (written whole through a rename, removed when it stops), and
// `api` uses that address by default instead of `status.bind`. A record whose process is gone
// (killed, crashed) is ignored; only the serve that wrote a record removes it.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { unlinkQuietly, writeFileAtomic } from "../runtime/atomic-file.ts";

export const SERVER_RECORD_FILE = "status-server.json";

export interface ServerRecord {
  pid: number;
  /** The origin clients use, e.g. `http://127.0.0.1:18991`. */
  url: string;
}

export interface RecordDeps {
  /** Whether a process exists (default: signal 0). */
  alive?: (pid: number) => boolean;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as { code?: string }).code === "EPERM";
  }
}

export function recordPath(stateDir: string): string {
  return join(stateDir, SERVER_RECORD_FILE);
}

/** Records `url` for this process; returns a function that removes the record if still ours. */
export function recordServer(stateDir: string, url: string, pid = process.pid): () => void {
  const path = recordPath(stateDir);
  const record: ServerRecord = { pid, url: new URL(url).origin };
  const text = `${JSON.stringify(record)}\n`;
  writeFileAtomic(path, text, 0o600);
  return () => {
    try {
      // Another serve started since may have replaced it: leave theirs.
      if (readFileSync(path, "utf8") === text) unlinkQuietly(path);
    } catch {
      // Already gone.
    }
  };
}

/** The live record, or undefined (none, unreadable, malformed, or its process is gone). */
export function readServerRecord(
  stateDir: string,
  deps: RecordDeps = {},
): ServerRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(recordPath(stateDir), "utf8"));
  } catch {
    return undefined;
  }
  const r = value as Partial<ServerRecord> | null;
  if (!r || typeof r !== "object" || !Number.isSafeInteger(r.pid) || typeof r.url !== "string") {
    return undefined;
  }
  let origin: string;
  try {
    const u = new URL(r.url);
    if (u.protocol !== "http:" && u.protocol !== "https:") return undefined;
    origin = u.origin;
  } catch {
    return undefined;
  }
  if ((r.pid as number) <= 0 || !(deps.alive ?? processAlive)(r.pid as number)) return undefined;
  return { pid: r.pid as number, url: origin };
}
