// Which store a command uses (SPEC §6): `--database URL` > `$SENTRYCTL_DATABASE_URL` > a
// Postgres `DATABASES["default"]` that the user's own settings file sets > SQLite at
// `<state dir>/sentryctl.db`. The built-in DATABASES default never selects Postgres. Pure.

import { join } from "node:path";
import { configError, type ErrorDetails, type SentryctlError, usageError } from "../errors.ts";

export type DatabaseTarget =
  | { kind: "sqlite"; path: string; source: string }
  | { kind: "postgres"; url: string; source: string };

export interface SelectInput {
  flag?: string;
  env: Record<string, string | undefined>;
  /** `settings.DATABASES`, only when the user's settings file set it. */
  userDatabases?: unknown;
  stateDir: string;
}

export const SQLITE_FILE = "sentryctl.db";

export function selectDatabase(input: SelectInput): DatabaseTarget {
  if (input.flag !== undefined) return parseDatabaseUrl(input.flag, "--database");
  const fromEnv = input.env.SENTRYCTL_DATABASE_URL;
  if (fromEnv) return parseDatabaseUrl(fromEnv, "SENTRYCTL_DATABASE_URL");
  const fromSettings = postgresFromDatabases(input.userDatabases);
  if (fromSettings) return { kind: "postgres", url: fromSettings, source: "DATABASES" };
  return { kind: "sqlite", path: join(input.stateDir, SQLITE_FILE), source: "default" };
}

/** `postgres://…` / `postgresql://…`, or `sqlite:PATH` for a store file elsewhere. */
export function parseDatabaseUrl(value: string, source: string): DatabaseTarget {
  // A bad flag is a usage error (2); a bad environment variable or setting is configuration (3).
  const invalid = (message: string, extra: ErrorDetails): SentryctlError =>
    source === "--database" ? usageError(message, extra) : configError(message, extra);
  if (/^postgres(ql)?:\/\//.test(value)) {
    try {
      new URL(value);
    } catch {
      throw invalid(`${source}: not a valid URL`, {
        hint: "the form is postgres://USER:PASSWORD@HOST:PORT/DBNAME",
      });
    }
    return { kind: "postgres", url: value, source };
  }
  if (value.startsWith("sqlite:") && value.length > "sqlite:".length) {
    return { kind: "sqlite", path: value.slice("sqlite:".length), source };
  }
  throw invalid(`${source}: expected a postgres:// URL or sqlite:PATH, got '${value}'`, {
    hint: "e.g. --database postgres://postgres@127.0.0.1:5432/sentry",
  });
}

/** Django's `DATABASES["default"]` for a Postgres engine, as a URL; undefined otherwise. */
export function postgresFromDatabases(databases: unknown): string | undefined {
  if (typeof databases !== "object" || databases === null) return undefined;
  const db = (databases as Record<string, unknown>).default as Record<string, unknown> | undefined;
  if (typeof db !== "object" || db === null) return undefined;
  if (!/postgres/.test(String(db.ENGINE ?? ""))) return undefined;
  const text = (v: unknown) => (v === undefined || v === null ? "" : String(v));
  const user = text(db.USER);
  const password = text(db.PASSWORD);
  // Django's empty HOST means the local Unix socket; sentryctl speaks TCP to loopback instead.
  const host = text(db.HOST) || "127.0.0.1";
  const port = text(db.PORT) || "5432";
  const auth = user
    ? `${encodeURIComponent(user)}${password ? `:${encodeURIComponent(password)}` : ""}@`
    : "";
  const hostPart = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
  return `postgres://${auth}${hostPart}:${port}/${encodeURIComponent(text(db.NAME) || "sentry")}`;
}
