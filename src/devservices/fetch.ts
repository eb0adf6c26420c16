// Remote dependencies: a sparse checkout of a repo's `devservices/` directory in devservices'
// cache, with git (any URL git takes). Each repo is fetched at most once per run (a memo of
// promises), under a lock per repo so two processes never write one checkout at once. A fetch
// that fails while a usable copy is cached warns and uses the copy; offline never fetches.

import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { failure } from "../errors.ts";
import { acquireLock } from "../runtime/lock.ts";
import type { RemoteConfig } from "./config.ts";
import { configPathOf } from "./config.ts";
import { CACHE_VERSION, dependenciesDir } from "./paths.ts";

export interface FetchOptions {
  home: string;
  env: Record<string, string | undefined>;
  offline: boolean;
  warn(line: string): void;
  /** Told before a network operation (for progress lines). */
  onFetch?(repoName: string): void;
}

interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

function git(args: string[], cwd: string, env: Record<string, string | undefined>) {
  return new Promise<GitResult>((done) => {
    execFile("git", args, {
      cwd,
      // Never a credential prompt: a fetch that needs one fails and the cache is used.
      env: { ...env, GIT_TERMINAL_PROMPT: "0", GIT_ASKPASS: "echo", LC_ALL: "C" },
      maxBuffer: 16 * 1024 * 1024,
    }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === "number" ? err.code : 127) : 0;
      done({ code, stdout: String(stdout), stderr: String(stderr || (err?.message ?? "")) });
    });
  });
}

/** git's own last words about a failure, one line. */
function reasonOf(result: GitResult): string {
  const lines = result.stderr.split("\n").map((l) => l.trim()).filter(Boolean);
  const fatal = lines.filter((l) => /^(fatal|error):/.test(l));
  return (fatal[fatal.length - 1] ?? lines[lines.length - 1] ?? `git exited ${result.code}`)
    .replace(/^(fatal|error):\s*/, "");
}

class GitFailed extends Error {}

async function must(args: string[], cwd: string, env: Record<string, string | undefined>) {
  const result = await git(args, cwd, env);
  if (result.code !== 0) throw new GitFailed(reasonOf(result));
  return result.stdout.trim();
}

/** Partial clone + sparse checkout of `devservices/` only, as devservices configures it. */
async function configure(dir: string, env: Record<string, string | undefined>): Promise<void> {
  await must(["config", "protocol.version", "2"], dir, env);
  await must(["config", "extensions.partialClone", "true"], dir, env);
  await must(["config", "core.sparseCheckout", "true"], dir, env);
  await must(["sparse-checkout", "set", "--no-cone", "/devservices/"], dir, env);
}

function usable(dir: string): boolean {
  return existsSync(join(dir, ".git")) && existsSync(configPathOf(dir));
}

export function dependencyMessage(remote: RemoteConfig): string {
  return `DependencyError: ${remote.repoName} (${remote.repoLink}) on ${remote.branch}`;
}

export class Fetcher {
  private readonly memo = new Map<string, Promise<string>>();
  constructor(private readonly opts: FetchOptions) {}

  /** The cached repo directory for `remote`, fetched (once per run) unless offline. */
  ensure(remote: RemoteConfig): Promise<string> {
    let pending = this.memo.get(remote.repoName);
    if (!pending) {
      pending = this.install(remote);
      this.memo.set(remote.repoName, pending);
    }
    return pending;
  }

  private async install(remote: RemoteConfig): Promise<string> {
    const { home, offline } = this.opts;
    const base = join(dependenciesDir(home), CACHE_VERSION);
    const dir = join(base, remote.repoName);
    if (offline) {
      // As devservices' own check of an installed dependency: the config file is there.
      if (existsSync(configPathOf(dir))) return dir;
      throw failure(
        `Dependency not installed correctly: ${remote.repoName} (${remote.repoLink}) on ${remote.branch}`,
        { hint: "--offline uses only the cache; run once without it to fetch" },
      );
    }
    mkdirSync(base, { recursive: true });
    // devservices keeps `<repo>.lock` as an flock file; ours has its own name so neither tool
    // mistakes the other's file for a lock held by a dead process.
    const lock = await acquireLock(
      join(dependenciesDir(home), `${remote.repoName}.sentryctl.lock`),
    );
    try {
      this.opts.onFetch?.(remote.repoName);
      if (usable(dir)) {
        try {
          await this.update(remote, dir);
        } catch (err) {
          if (!(err instanceof GitFailed)) throw err;
          this.opts.warn(
            `Could not fetch '${remote.repoName}': ${err.message}; using the cached copy`,
          );
        }
        return dir;
      }
      try {
        await this.clone(remote, base, dir);
      } catch (err) {
        if (!(err instanceof GitFailed)) throw err;
        throw failure(
          `Unable to clone dependency: ${remote.repoName} (${remote.repoLink}) on ${remote.branch}`,
          { details: err.message },
        );
      }
      if (!usable(dir)) {
        throw failure(
          `Dependency not installed correctly: ${remote.repoName} (${remote.repoLink}) on ${remote.branch}`,
        );
      }
      return dir;
    } finally {
      lock?.release();
    }
  }

  private async update(remote: RemoteConfig, dir: string): Promise<void> {
    const { env } = this.opts;
    await configure(dir, env);
    await must(["remote", "set-url", "origin", remote.repoLink], dir, env);
    await must(
      ["fetch", "origin", remote.branch, "--filter=blob:none", "--no-recurse-submodules"],
      dir,
      env,
    );
    const head = await must(["rev-parse", "HEAD"], dir, env);
    const fetched = await must(["rev-parse", "FETCH_HEAD"], dir, env);
    if (head !== fetched) await must(["checkout", "-f", "FETCH_HEAD"], dir, env);
  }

  private async clone(remote: RemoteConfig, base: string, dir: string): Promise<void> {
    const { env } = this.opts;
    // Cloned beside its final place, then renamed: a half-made checkout is never seen as one.
    const tmp = mkdtempSync(join(base, `.${remote.repoName}.tmp-`));
    try {
      await must(["clone", "--filter=blob:none", "--no-checkout", remote.repoLink, tmp], base, env);
      await configure(tmp, env);
      await must(["checkout", remote.branch], tmp, env);
      rmSync(dir, { recursive: true, force: true });
      renameSync(tmp, dir);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
}
