// `up`, `down` and `rm` on a project file: the loaded model becomes a Stack (./stack.ts) and goes
// through the one entry point (../index.ts) like the catalog's. Named services bring their
// dependencies; `rm` removes the project's volumes (never external ones: they are not labelled).

import { readFileSync, statSync } from "node:fs";
import { isLocalEndpoint } from "../../docker/endpoint.ts";
import type { Engine } from "../../docker/engine.ts";
import type { LoadedProject } from "../../compose/types.ts";
import { failure } from "../../errors.ts";
import { converge, type ConvergeResult, teardown, type TeardownResult } from "../index.ts";
import type { Owner } from "../labels.ts";
import type { PullPolicy } from "../operations.ts";
import type { Reporter } from "../reporter.ts";
import { type Stack, withServices } from "../stack-model.ts";
import type { ProbeMemo } from "../wait/probe-memo.ts";
import type { Clock } from "../../runtime/clock.ts";
import { buildImage } from "./build.ts";
import { type HostFiles, projectStack } from "./stack.ts";

/** The host's regular files (for copies into a remote engine's containers). */
export const nodeHostFiles: HostFiles = {
  readFile(path) {
    try {
      return Promise.resolve(statSync(path).isFile() ? readFileSync(path) : undefined);
    } catch {
      return Promise.resolve(undefined);
    }
  },
};

export async function stackOf(
  engine: Engine,
  project: LoadedProject,
  owner: Owner,
  opts: { session?: string; files?: HostFiles } = {},
): Promise<Stack> {
  return await projectStack(project, {
    owner,
    session: opts.session,
    // Bind mounts work as written only where the engine shares our file system.
    local: isLocalEndpoint(engine.endpoint),
    files: opts.files ?? nodeHostFiles,
  });
}

/** The named services and everything they depend on, in the stack's order. */
export function selectServices(stack: Stack, names: readonly string[]): Stack {
  if (names.length === 0) return stack;
  const byName = new Map(stack.services.map((s) => [s.name, s]));
  const unknown = names.find((n) => !byName.has(n));
  if (unknown !== undefined) {
    throw failure(`Service \`${unknown}\` is not known or not enabled.`, {
      details: ["Services that are available:", ...[...byName.keys()].sort().map((n) => `  ${n}`)]
        .join("\n"),
      hint: "a service outside the active profiles needs --profile",
    });
  }
  const wanted = new Set<string>();
  const add = (n: string) => {
    if (wanted.has(n)) return;
    wanted.add(n);
    for (const d of byName.get(n)?.after ?? []) add(d);
  };
  names.forEach(add);
  return withServices(stack, stack.services.filter((s) => wanted.has(s.name)));
}

export interface ProjectUpRequest {
  names: readonly string[];
  recreate: boolean;
  pull: PullPolicy;
  wait: boolean;
  /** `up --build`: rebuild images of services with `build`. */
  build: boolean;
  timeoutSeconds?: number;
  dryRun: boolean;
  owner?: Owner;
  session?: string;
  reporter: Reporter;
  signal?: AbortSignal;
  memo?: ProbeMemo;
  files?: HostFiles;
  /** Changes the selected stack before it converges (`with`: ephemeral ports, no restart). */
  adjust?: (stack: Stack) => Stack | Promise<Stack>;
  /** Take the project lock (default true; an isolated `with` project is its run's alone). */
  lock?: boolean;
  clock?: Clock;
}

export async function projectUp(
  engine: Engine,
  project: LoadedProject,
  req: ProjectUpRequest,
): Promise<ConvergeResult & { stack: Stack }> {
  const owner = req.owner ?? "up";
  const full = await stackOf(engine, project, owner, req);
  const selected = selectServices(full, req.names);
  const stack = req.adjust ? await req.adjust(selected) : selected;
  const result = await converge(engine, stack, {
    owner,
    lock: req.lock,
    recreate: req.recreate,
    pull: req.pull,
    wait: req.wait,
    rebuild: req.build,
    dryRun: req.dryRun,
    reporter: req.reporter,
    signal: req.signal,
    timeoutSeconds: req.timeoutSeconds,
    memo: req.memo,
    clock: req.clock,
    build: (b, platform, signal) => buildImage(engine, b, platform, req.reporter, signal),
  });
  return { ...result, stack };
}

export async function projectRemove(
  engine: Engine,
  project: LoadedProject,
  req: { names: readonly string[]; volumes: boolean; dryRun?: boolean; reporter: Reporter },
): Promise<TeardownResult> {
  const stack = await projectStack(project, { owner: "up", local: true, files: nodeHostFiles });
  const volumesOf = new Map(stack.services.map((s) => [s.name, s.container.volumes]));
  return await teardown(engine, stack, {
    services: req.names,
    volumes: req.volumes,
    legacy: false,
    volumesOf,
    reporter: req.reporter,
    dryRun: req.dryRun,
  });
}
