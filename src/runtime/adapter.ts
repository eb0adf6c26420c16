// The only module allowed to touch `Bun.*` / `Deno.*`. Everything else uses web standards and
// `node:` modules, so the same source runs under both runtimes (the binary is built by Bun,
// the smoke suite runs under Deno).

interface BunGlobal {
  version: string;
  main: string;
}
interface DenoGlobal {
  version: { deno: string };
}

const globals = globalThis as { Bun?: BunGlobal; Deno?: DenoGlobal };

export type RuntimeName = "bun" | "deno" | "node";

export function runtimeName(): RuntimeName {
  if (globals.Bun) return "bun";
  if (globals.Deno) return "deno";
  return "node";
}

export function runtimeVersion(): string {
  if (globals.Bun) return globals.Bun.version;
  if (globals.Deno) return globals.Deno.version.deno;
  return process.versions.node;
}

// --- SQLite -------------------------------------------------------------------------------------
// `node:sqlite` is built into Bun (also inside `bun build --compile` output) and Deno, with the
// same synchronous API; it is reached only through here so a runtime without it fails in one
// place with one message. The module is imported lazily: commands that never touch the store do
// not pay for it.

/** The part of `node:sqlite`'s `StatementSync` the store uses. */
export interface SqliteStatement {
  run(...params: SqliteValue[]): { changes: number | bigint; lastInsertRowid: number | bigint };
  get(...params: SqliteValue[]): Record<string, unknown> | undefined;
  all(...params: SqliteValue[]): Record<string, unknown>[];
}

export type SqliteValue = string | number | bigint | null | Uint8Array;

/** The part of `node:sqlite`'s `DatabaseSync` the store uses. */
export interface SqliteDatabase {
  exec(sql: string): void;
  prepare(sql: string): SqliteStatement;
  close(): void;
}

export async function openSqlite(path: string): Promise<SqliteDatabase> {
  // A variable specifier: @types/node 20 has no `node:sqlite` typings (the runtimes do).
  const specifier = "node:sqlite";
  const sqlite = (await import(specifier)) as {
    DatabaseSync: new (path: string) => SqliteDatabase;
  };
  return new sqlite.DatabaseSync(path);
}
