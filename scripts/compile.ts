// One `bun build --compile` of main.ts, shared by `npm run build` (the host's binary) and
// `npm run release` (every target), so both use the same flags: minified, bytecode, ESM, and no
// `.env`/`bunfig.toml`/`tsconfig.json`/`package.json` autoload from the user's directory (SPEC §1).
// The build stamps version metadata (commit, target) through `--define SENTRYCTL_BUILD`.

import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

/** The release targets, in sentryctl's names (SPEC §1a). */
export const TARGETS = [
  "linux-x64",
  "linux-arm64",
  "linux-x64-musl",
  "linux-arm64-musl",
  "darwin-x64",
  "darwin-arm64",
] as const;
export type Target = (typeof TARGETS)[number];

export interface BuildInfo {
  commit: string;
  target: string;
}

function git(args: string[]): string | undefined {
  const r = spawnSync("git", args, { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** Short commit of HEAD plus `-dirty` when tracked files differ from it; `unknown` without git. */
export function commitId(): string {
  const head = git(["rev-parse", "--short=12", "HEAD"]);
  if (!head) return "unknown";
  const dirty = git(["status", "--porcelain", "--untracked-files=no"]);
  return dirty ? `${head}-dirty` : head;
}

/**
 * Timestamp written into archives: `$SOURCE_DATE_EPOCH` if set (the reproducible-builds
 * convention), else the commit time, else 0. Never the clock, so two runs give the same bytes.
 */
export function sourceDateEpoch(): number {
  const env = process.env.SOURCE_DATE_EPOCH;
  if (env && /^\d+$/.test(env)) return Number(env);
  const t = git(["log", "-1", "--format=%ct"]);
  return t && /^\d+$/.test(t) ? Number(t) : 0;
}

/**
 * The machine running this script as a target name (for `npm run build`). A glibc loader means
 * glibc even when a musl loader sits beside it (Debian's `musl` package); the same rule as
 * install.sh and the npm launcher.
 */
export function hostTarget(): string {
  const os = process.platform;
  const glibc = ["/lib64/ld-linux-x86-64.so.2", "/lib/ld-linux-aarch64.so.1"].some(existsSync);
  const musl = ["/lib/ld-musl-x86_64.so.1", "/lib/ld-musl-aarch64.so.1"].some(existsSync);
  return `${os}-${process.arch}${os === "linux" && !glibc && musl ? "-musl" : ""}`;
}

/** Bun's `--target` for one of ours: `bun-linux-arm64-musl`, `bun-darwin-x64`, … */
export function bunTarget(target: Target): string {
  return `bun-${target}`;
}

export interface CompileOptions {
  outfile: string;
  /** Release target; omitted = the host (no `--target`, Bun builds for itself). */
  target?: Target;
  build: BuildInfo;
  /** Inherit stdio (progress) or capture it (quiet, shown only on failure). */
  quiet?: boolean;
}

export function compile(opts: CompileOptions): void {
  const args = [
    "build",
    "--compile",
    "--minify",
    "--bytecode",
    "--format=esm",
    "--splitting",
    "--no-compile-autoload-dotenv",
    "--no-compile-autoload-bunfig",
    "--no-compile-autoload-tsconfig",
    "--no-compile-autoload-package-json",
    ...(opts.target ? [`--target=${bunTarget(opts.target)}`] : []),
    "--define",
    `SENTRYCTL_BUILD=${JSON.stringify(opts.build)}`,
    "main.ts",
    "--outfile",
    opts.outfile,
  ];
  const r = spawnSync(process.execPath, args, {
    stdio: opts.quiet ? "pipe" : "inherit",
    encoding: "utf8",
  });
  if (r.status !== 0) {
    const detail = opts.quiet ? `\n${r.stdout ?? ""}${r.stderr ?? ""}` : "";
    throw new Error(`bun build --compile failed for ${opts.target ?? "host"}${detail}`);
  }
}
