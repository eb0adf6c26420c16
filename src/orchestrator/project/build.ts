// `build:` through the Engine API (SPEC §3a): the context directory sent as a tar with
// `.dockerignore` honoured by @balena/dockerignore (Docker's own matching rules, `!` exceptions
// included), then POST /build with the Dockerfile, target and args; the image is tagged
// `<project>-<service>` (or the service's `image:`).

import { lstatSync, readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import dockerignore from "@balena/dockerignore";
import type { Engine } from "../../docker/engine.ts";
import { SentryctlError } from "../../errors.ts";
import { createTar, type TarFile } from "../../lib/tar.ts";
import type { Reporter } from "../reporter.ts";
import type { BuildPlan } from "../stack-model.ts";

/** What reading a build context needs; node:fs by default, a map in tests. */
export interface ContextFs {
  /** Entries of a directory: name, kind and permission bits. */
  list(dir: string): { name: string; kind: "file" | "dir" | "other"; mode: number }[];
  read(path: string): Uint8Array | undefined;
}

export const nodeContextFs: ContextFs = {
  list(dir) {
    return readdirSync(dir).map((name) => {
      const st = lstatSync(join(dir, name));
      return {
        name,
        kind: st.isFile() ? "file" : st.isDirectory() ? "dir" : "other",
        mode: st.mode & 0o777,
      };
    });
  },
  read(path) {
    try {
      return readFileSync(path);
    } catch {
      return undefined;
    }
  },
};

/** A context larger than this many files is refused: most likely a wrong context directory. */
const MAX_FILES = 50_000;

/** The context's files as tar entries, `.dockerignore` applied (the Dockerfile always sent). */
export function contextFiles(build: BuildPlan, fs: ContextFs): TarFile[] {
  const ignoreText = fs.read(join(build.context, ".dockerignore"));
  const rules = ignoreText
    ? new TextDecoder().decode(ignoreText).split(/\r?\n/).filter((l) => !l.startsWith("#"))
    : [];
  const ig = dockerignore({ ignorecase: false }).add(rules);
  const files: TarFile[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.list(dir)) {
      const path = join(dir, entry.name);
      const rel = relative(build.context, path).split(sep).join("/");
      if (entry.kind === "dir") walk(path);
      else if (entry.kind === "file") {
        const keep = !ig.ignores(rel) || rel === build.dockerfile || rel === ".dockerignore";
        if (!keep) continue;
        if (files.length >= MAX_FILES) {
          throw new SentryctlError(
            "configuration",
            `The build context '${build.context}' has more than ${MAX_FILES} files`,
            { hint: "list what the image does not need in .dockerignore" },
          );
        }
        files.push({ path: rel, content: fs.read(path) ?? new Uint8Array(), mode: entry.mode });
      }
    }
  };
  walk(build.context);
  return files;
}

export async function buildImage(
  engine: Engine,
  build: BuildPlan,
  platform: string | undefined,
  reporter: Reporter,
  signal: AbortSignal,
  fs: ContextFs = nodeContextFs,
): Promise<void> {
  const tar = createTar(contextFiles(build, fs));
  await engine.buildImage(tar, {
    tag: build.tag,
    dockerfile: build.dockerfile,
    target: build.target,
    args: build.args,
    platform,
  }, (line) => {
    const text = line.trim();
    if (text.startsWith("Step ")) reporter.step(`${build.tag}: ${text}`);
  }, signal);
}
