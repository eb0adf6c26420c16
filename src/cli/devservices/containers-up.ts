// The containers of a plan through the orchestrator's one entry point: each project is its own
// compose project (its service_name) read by the compose reader with the real environment, its
// mode's services converged and waited for (sentryctl's probes, up to the config's
// healthcheck_timeout). All projects start at once. The shared `devservices` network is created first if missing.

import type { Engine } from "../../docker/engine.ts";
import { NETWORK } from "../../devservices/containers.ts";
import { type DevservicesConfig, loadConfig } from "../../devservices/config.ts";
import { CACHE_VERSION, dependenciesDir } from "../../devservices/paths.ts";
import type { DependencyPlan, PlannedProject } from "../../devservices/resolve.ts";
import { lineReporter } from "../../orchestrator/reporter.ts";
import { projectUp } from "../../orchestrator/project/lifecycle.ts";
import { join, relative } from "node:path";
import type { DevContext } from "./context.ts";
import { engineFor } from "./engine.ts";

export async function ensureNetwork(engine: Engine): Promise<void> {
  if (await engine.inspectNetwork(NETWORK)) return;
  // devservices creates it without labels; a concurrent create is a 409, answered undefined.
  await engine.createNetwork(NETWORK, {});
}

async function upProject(
  ctx: DevContext,
  engine: Engine,
  project: PlannedProject,
): Promise<void> {
  const config: DevservicesConfig = project.config;
  // As devservices: the cache directory relative to the repo, for configs that mount from it.
  const env = {
    ...ctx.inputs.env,
    DEVSERVICES_DEPENDENCIES_CACHE_DIR: relative(
      config.repoDir,
      join(dependenciesDir(ctx.inputs.home), CACHE_VERSION),
    ),
  };
  const loaded = (await loadConfig(config.repoDir, config.configPath, env)).project!;
  for (const w of loaded.warnings) ctx.warn(`warning: ${w}`);
  for (const s of project.services) ctx.info(`Starting ${s}`);
  await projectUp(engine, loaded, {
    names: project.services,
    recreate: false,
    pull: "missing",
    wait: true,
    build: false,
    dryRun: false,
    timeoutSeconds: config.healthcheckTimeout,
    reporter: lineReporter(ctx.inputs.stderr, { quiet: true }),
  });
  ctx.info(`${project.name}: ${project.services.join(", ")} healthy`);
}

export async function startContainers(ctx: DevContext, plan: DependencyPlan): Promise<void> {
  const engine = await engineFor(ctx)();
  await ensureNetwork(engine);
  // Every project at once, as devservices starts them: compose-level ordering does not cross
  // projects, and each waits for its own health; the wait is what takes time.
  await Promise.all(
    plan.projects.filter((p) => p.services.length > 0).map((p) => upProject(ctx, engine, p)),
  );
}
