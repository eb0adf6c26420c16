// A throwaway PostgreSQL cluster for tests: Debian's `postgresql` binaries, `initdb` into a temp
// dir, started on a free loopback port (TCP only, SCRAM passwords, no Unix socket outside the
// temp dir) and stopped by its postmaster PID. initdb refuses to run as root, so under root the
// cluster runs as the `postgres` system user.

import { execFileSync, spawnSync } from "node:child_process";
import {
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface PgCluster {
  /** `postgres://postgres:PASSWORD@127.0.0.1:PORT/postgres` */
  adminUrl: string;
  port: number;
  password: string;
  pid: number;
  /** Runs SQL with psql against DATABASE; returns stdout (unaligned, tuples only). */
  psql(database: string, sql: string): string;
  /** A URL for DATABASE. */
  url(database: string): string;
  stop(): Promise<void>;
}

export function postgresBinDir(): string | undefined {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, "bin", "initdb")))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], "bin") : undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

export async function startPostgres(): Promise<PgCluster> {
  const bin = postgresBinDir();
  if (!bin) throw new Error("PostgreSQL is not installed (apt-get install postgresql)");
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), "sentryctl-pg-"));
  const data = join(dir, "data");
  const password = `pw-${Math.random().toString(36).slice(2)}`;
  writeFileSync(join(dir, "pwfile"), `${password}\n`);
  let uid = 0;
  let gid = 0;
  if (asRoot) {
    uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    chownSync(dir, uid, gid);
    chownSync(join(dir, "pwfile"), uid, gid);
  }
  const run = (cmd: string, args: string[]) => {
    const full = asRoot
      ? ["runuser", ["-u", "postgres", "--", cmd, ...args]] as const
      : [cmd, args] as const;
    const r = spawnSync(full[0], full[1], { encoding: "utf8", cwd: dir });
    if (r.status !== 0) {
      throw new Error(`${cmd} failed (${r.status}): ${r.stderr || r.stdout}`);
    }
    return r.stdout;
  };
  run(join(bin, "initdb"), [
    "-D",
    data,
    "-U",
    "postgres",
    "--pwfile",
    join(dir, "pwfile"),
    "-E",
    "UTF8",
    "--locale",
    "C",
    "--auth-local",
    "trust",
    "--auth-host",
    "scram-sha-256",
    "--no-sync",
  ]);
  const port = await freePort();
  run(join(bin, "pg_ctl"), [
    "-D",
    data,
    "-l",
    join(dir, "server.log"),
    "-w",
    "-t",
    "30",
    "-o",
    `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c max_connections=60`,
    "start",
  ]);
  const pid = Number(readFileSync(join(data, "postmaster.pid"), "utf8").split("\n")[0]);
  const url = (database: string) =>
    `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  return {
    adminUrl: url("postgres"),
    port,
    password,
    pid,
    url,
    psql(database, sql) {
      const r = spawnSync(
        join(bin, "psql"),
        [
          "-h",
          "127.0.0.1",
          "-p",
          String(port),
          "-U",
          "postgres",
          "-d",
          database,
          "-X",
          "-q",
          "-A",
          "-t",
          "-v",
          "ON_ERROR_STOP=1",
          "-c",
          sql,
        ],
        { encoding: "utf8", env: { ...process.env, PGPASSWORD: password } },
      );
      if (r.status !== 0) throw new Error(`psql failed: ${r.stderr}`);
      return r.stdout;
    },
    async stop() {
      // SIGINT is Postgres's "fast" shutdown: roll back, disconnect, exit.
      if (alive(pid)) process.kill(pid, "SIGINT");
      for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
      if (alive(pid)) process.kill(pid, "SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const SENTRY_SCHEMA = new URL("../fixtures/sentry-auth-schema.sql", import.meta.url);

/** Creates DATABASE with Sentry's two tables. */
export function createSentryDatabase(pg: PgCluster, database: string): void {
  pg.psql("postgres", `CREATE DATABASE "${database}"`);
  pg.psql(database, readFileSync(SENTRY_SCHEMA, "utf8"));
}
