// `devservices up` without --dry-run: the plan's projects up in dependency order (containers
// through the orchestrator), then the mode's programs under the service's supervisor, with the
// state moving from starting to started as devservices records it.

import type { DevservicesConfig } from "../../devservices/config.ts";
import { programsDir, stateDir } from "../../devservices/paths.ts";
import type { DependencyPlan } from "../../devservices/resolve.ts";
import { addMode, DevservicesState } from "../../devservices/state.ts";
import { ensureSupervisor } from "../../devservices/supervisor/launch.ts";
import type { DevContext } from "./context.ts";
import { programSpotlightEnv } from "./spotlight-env.ts";

/** How to run this executable again (the supervisor is sentryctl itself, detached). */
export function selfCommand(): string[] {
  const main = process.argv[1];
  // A compiled binary's argv[1] is its embedded entry (`/$bunfs/…`, `B:/~BUN/…`).
  if (!main || main.startsWith("/$bunfs/") || main.includes("~BUN")) return [process.execPath];
  return [process.execPath, main];
}

export function programEnv(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  return out;
}

export async function bringUp(
  ctx: DevContext,
  root: DevservicesConfig,
  mode: string,
  plan: DependencyPlan,
): Promise<number> {
  const { env, home } = ctx.inputs;
  const state = new DevservicesState(stateDir(env, home));
  const now = () => new Date();
  await state.update((d) => addMode(d.starting, root.serviceName, mode, root.repoDir, now()));

  if (plan.projects.some((p) => p.services.length > 0)) {
    const { startContainers } = await import("./containers-up.ts");
    await startContainers(ctx, plan);
  }

  // A status server that answers gets the programs' events (SPEC §7a), as with `with`/`run`.
  let spotlight: Record<string, string> | undefined;
  for (const project of plan.projects) {
    if (project.programs.length === 0) continue;
    spotlight ??= await programSpotlightEnv(env, home, fetch);
    const dir = programsDir(state.dir, project.name);
    const answer = await ensureSupervisor({
      dir,
      self: selfCommand(),
      programs: project.programs.map((p) => project.config.programs.get(p)!),
      repoDir: project.config.repoDir,
      env: { ...programEnv(env), ...spotlight },
      clock: ctx.inputs.clock,
    });
    for (const p of answer.programs ?? []) {
      if (project.programs.includes(p.name)) ctx.info(`Started ${p.name} (pid ${p.pid ?? "-"})`);
    }
  }

  await state.update((d) => {
    delete d.starting[root.serviceName];
    addMode(d.started, root.serviceName, mode, root.repoDir, now());
  });
  ctx.success(`${root.serviceName} started`);
  return 0;
}
