// Shared by the distribution tests: where `npm run release` put its output, and a release made
// on demand when it is missing (a fresh clone running `bun test tests/release` directly).

import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../helpers/cli.ts";

export const RELEASE = join(REPO_ROOT, "dist/release");
export const VERSION_DIR = join(RELEASE, "v0.1.0");
export const LATEST_DIR = join(RELEASE, "latest");
export const NPM_DIR = join(REPO_ROOT, "dist/npm");

export const BUN = join(REPO_ROOT, "node_modules/.bin/bun");

/** Runs `bun scripts/release.ts` unless its output is already there. */
export function ensureRelease(): void {
  if (existsSync(join(VERSION_DIR, "SHA256SUMS")) && existsSync(join(NPM_DIR, "sentryctl"))) {
    return;
  }
  const r = spawnSync(BUN, ["scripts/release.ts"], { cwd: REPO_ROOT, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`npm run release failed:\n${r.stdout}\n${r.stderr}`);
}

/** `docker ps -a` names of containers labelled with the project. */
export function projectContainers(project: string): string[] {
  const r = spawnSync("docker", [
    "ps",
    "-a",
    "--filter",
    `label=io.sentry.sentryctl.project=${project}`,
    "--format",
    "{{.Names}}",
  ], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`docker ps failed: ${r.stderr}`);
  return r.stdout.split("\n").filter(Boolean);
}

/** The version line every build prints, for a target. */
export function versionLine(target: string): RegExp {
  return new RegExp(
    `^sentryctl 0\\.1\\.0 \\(bun \\d+\\.\\d+\\.\\d+; commit [0-9a-f]{12}(-dirty)?; ${target}\\)\\n$`,
  );
}
