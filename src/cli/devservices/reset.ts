// `reset SERVICE` (one compose service's containers and volumes, after bringing down what uses
// it) and `purge [SERVICE] [-y]` (containers, volumes, the `devservices` network, the dependency
// cache and the state). purge touches only the projects this machine's devservices knows (the
// state, the cache, the code root), so another tool's containers that happen to carry
// `orchestrator=devservices` under another project name are left alone.

import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { failure } from "../../errors.ts";
import {
  devservicesContainers,
  NETWORK,
  removeWithVolumes,
  serviceContainers,
} from "../../devservices/containers.ts";
import { cacheDir, programsDir, repoCacheDir, stateDir } from "../../devservices/paths.ts";
import { codeRootServices, findService } from "../../devservices/services.ts";
import { DevservicesState } from "../../devservices/state.ts";
import { stopSupervisor } from "../../devservices/supervisor/launch.ts";
import { loadConfig } from "../../devservices/config.ts";
import { confirm } from "../prompt.ts";
import type { DevContext } from "./context.ts";
import { activePlans, bringDown } from "./down.ts";
import { engineFor } from "./engine.ts";

export async function reset(ctx: DevContext): Promise<number> {
  const target = ctx.positionals[0]!;
  const { env, home, cwd } = ctx.inputs;
  const state = new DevservicesState(stateDir(env, home));
  const engine = engineFor(ctx);
  // First bring down every running service whose graph runs this compose service.
  for (const [name, plan] of await activePlans(ctx, state)) {
    if (!plan.projects.some((p) => p.services.includes(target))) continue;
    const config = await findService({ name, cwd, home, command: "reset" });
    await bringDown(ctx, config, state, engine);
  }
  const containers = await serviceContainers(await engine(), target);
  if (containers.length === 0) {
    ctx.warn(`No containers found for ${target}`);
    return 0;
  }
  const removed = await removeWithVolumes(await engine(), containers);
  for (const c of removed.containers) ctx.info(`Removed container ${c}`);
  for (const v of removed.volumes) ctx.info(`Removed volume ${v}`);
  ctx.success(`${target} has been reset`);
  return 0;
}

/** Project names this machine's devservices knows: state, cached repos, code root. */
async function knownProjects(ctx: DevContext, state: DevservicesState): Promise<Set<string>> {
  const { home } = ctx.inputs;
  const names = new Set<string>(state.active().keys());
  const cached = join(cacheDir(home), "dependencies", "v1");
  let repos: string[] = [];
  try {
    repos = readdirSync(cached).filter((n) => !n.startsWith("."));
  } catch {
    // No cache yet.
  }
  for (const repo of repos) {
    const config = await loadConfig(join(cached, repo)).catch(() => undefined);
    if (config) names.add(config.serviceName);
  }
  for (const s of await codeRootServices(home)) names.add(s.serviceName);
  return names;
}

export async function purge(ctx: DevContext): Promise<number> {
  const { env, home, cwd } = ctx.inputs;
  const one = ctx.positionals[0];
  const question = one
    ? `Are you sure you want to purge ${one}? This will remove its containers, volumes and cached repo.'`
    : "Are you sure you want to purge all devservices data? This will remove every devservices container, volume and network, the dependency cache and the state.";
  if (!ctx.values.yes) {
    if (!ctx.inputs.stdinIsTTY) {
      throw failure("purge needs a confirmation and stdin is not a terminal", {
        hint: "pass -y to purge without asking",
      });
    }
    if (!(await confirm(question, ctx.inputs.stderr, ctx.inputs.stdin()))) {
      ctx.warn("Purge cancelled");
      return 0;
    }
  }
  const state = new DevservicesState(stateDir(env, home));
  const engine = engineFor(ctx);
  const known = one ? new Set([one]) : await knownProjects(ctx, state);
  for (const name of known) await stopSupervisor(programsDir(state.dir, name), ctx.inputs.clock);
  const docker = await engine();
  const containers = (await devservicesContainers(docker)).filter((c) =>
    known.has(c.Labels?.["com.docker.compose.project"] ?? "")
  );
  const removed = await removeWithVolumes(docker, containers);
  for (const c of removed.containers) ctx.info(`Removed container ${c}`);
  for (const v of removed.volumes) ctx.info(`Removed volume ${v}`);
  if (one) {
    const config = await findService({ name: one, cwd, home, command: "purge" }).catch(() => {});
    await state.update((d) => {
      delete d.started[one];
      delete d.starting[one];
      delete d.runtime[one];
    });
    // Its cached checkout, whatever repo_name it was fetched under.
    for (const repo of readdirSafe(join(cacheDir(home), "dependencies", "v1"))) {
      const c = await loadConfig(repoCacheDir(home, repo)).catch(() => undefined);
      if (c?.serviceName === one || (config && c?.serviceName === config.serviceName)) {
        rmSync(repoCacheDir(home, repo), { recursive: true, force: true });
      }
    }
    ctx.success(`${one} has been purged`);
    return 0;
  }
  // The shared network goes when nothing is attached any more (Docker refuses otherwise).
  try {
    await docker.removeNetwork(NETWORK);
  } catch {
    // Still in use by something we did not remove: left alone.
  }
  rmSync(cacheDir(home), { recursive: true, force: true });
  await state.update((d) => {
    d.started = {};
    d.starting = {};
    d.runtime = {};
  });
  ctx.success("All devservices data has been purged");
  return 0;
}

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir).filter((n) => !n.startsWith("."));
  } catch {
    return [];
  }
}
