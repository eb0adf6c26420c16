// What the stack commands share: the resolved services and a connected engine (looked up
// concurrently), the progress reporter that suits the terminal, and Ctrl-C as an AbortSignal.

import { join } from "node:path";
import type { LoadedProject } from "../../compose/types.ts";
import type { Engine } from "../../docker/engine.ts";
import type { Reporter } from "../../orchestrator/reporter.ts";
import type { StackScope } from "../../orchestrator/scope.ts";
import type { ProbeMemo } from "../../orchestrator/wait/probe-memo.ts";
import type { Signals } from "../../runtime/io.ts";
import type { ServiceSet } from "../../services/resolve.ts";
import type { CommandContext } from "../command.ts";

/**
 * The resolved services: a project file's (-f, ./devservices/config.yml; the project name becomes
 * the file's) or the catalog's (./catalog-services.ts).
 */
export async function loadServices(
  ctx: CommandContext,
  level: "docker" | "validated" = "validated",
  /** Only commands that create containers write services' default config files (issue 22). */
  creates = false,
): Promise<ServiceSet> {
  return (await loadStackServices(ctx, level, creates)).services;
}

/** The services and where they came from (`ps` and `doctor` name the source, SPEC §3a). */
export interface StackServices {
  services: ServiceSet;
  /** Which containers are the stack's (a project file's: compose's label, whoever made them). */
  scope: StackScope;
  /** The project file, when the stack is one. */
  project?: LoadedProject;
  /** The source in words (src/cli/stack.ts `describeSource`). */
  source: string;
}

/**
 * Whether the stack may be a project file (stack flags, or ./devservices/config.yml). The common
 * case answers without a wait: commands run this beside their engine connection, whose failure
 * must not wait on it.
 */
export function hasStackFile(ctx: CommandContext): boolean {
  const { existsSync } = process.getBuiltinModule("node:fs");
  return (ctx.flags.files?.length ?? 0) > 0 || ctx.flags.projectDirectory !== undefined ||
    ctx.flags.envFile !== undefined || existsSync(`${ctx.inputs.cwd}/devservices/config.yml`);
}

export async function loadStackServices(
  ctx: CommandContext,
  level: "docker" | "validated" = "validated",
  creates = false,
): Promise<StackServices> {
  const { describeSource, loadStackFromFlags } = await import("../stack.ts");
  const loaded = hasStackFile(ctx) ? await loadStackFromFlags(ctx) : { kind: "catalog" as const };
  const source = describeSource(loaded);
  const { catalogScope, projectFileScope } = await import("../../orchestrator/scope.ts");
  if (loaded.kind === "files") {
    ctx.flags.project = loaded.project.name;
    const { projectServices } = await import("../../orchestrator/project/services.ts");
    return {
      services: projectServices(loaded.project),
      scope: projectFileScope(loaded.project.name),
      project: loaded.project,
      source,
    };
  }
  const { loadCatalogServices } = await import("./catalog-services.ts");
  const services = await loadCatalogServices(ctx, level, creates);
  return { services, scope: catalogScope(ctx.flags.project), source };
}

/**
 * Only which containers are the stack's, for a command that needs no services (`logs` without
 * names): the catalog's without reading settings, a project file's from its name.
 */
export async function loadScope(ctx: CommandContext): Promise<StackScope> {
  const { catalogScope, projectFileScope } = await import("../../orchestrator/scope.ts");
  if (!hasStackFile(ctx)) return catalogScope(ctx.flags.project);
  const { loadStackFromFlags } = await import("../stack.ts");
  const loaded = await loadStackFromFlags(ctx);
  if (loaded.kind === "catalog") return catalogScope(ctx.flags.project);
  ctx.flags.project = loaded.project.name;
  return projectFileScope(loaded.project.name);
}

/** The engine, after orphaned session containers were removed (SPEC §4; src/cli/docker.ts). */
export async function connect(ctx: CommandContext): Promise<Engine> {
  const { dockerForCommand } = await import("../docker.ts");
  return await dockerForCommand(ctx);
}

/** Services, scope and engine together: settings are read while the engine is pinged. */
export async function stack(
  ctx: CommandContext,
  level: "docker" | "validated" = "validated",
  creates = false,
): Promise<{ services: ServiceSet; scope: StackScope; engine: Engine }> {
  const [{ services, scope }, engine] = await Promise.all([
    loadStackServices(ctx, level, creates),
    connect(ctx),
  ]);
  return { services, scope, engine };
}

/**
 * Passed exec probes, kept under the state directory so the next `up` need not repeat them: one
 * memo for the catalog's `up` and a project file's (containers are told apart by id). Only the
 * config directory is looked for (the chain's first step): a project file's `up` reads no
 * settings, and should not start to for this.
 */
export async function probeMemo(ctx: CommandContext): Promise<ProbeMemo | undefined> {
  // A project file's `up` needs no config directory: when the chain cannot find one (SENTRY_CONF
  // naming a directory that does not exist), it runs without a memo rather than fail.
  const state = await ctx.chain.through("discover").catch(() => undefined);
  if (!state) return undefined;
  const { stateDirFor } = await import("../../settings/state-dir.ts");
  const { fileProbeMemo } = await import("../../orchestrator/wait/probe-memo.ts");
  return fileProbeMemo(join(stateDirFor(state.location, ctx.inputs.home), "probes"));
}

/** Live lines on a terminal (not in CI), plain lines otherwise; all on stderr. */
export async function progressReporter(
  ctx: CommandContext,
  services: readonly string[],
): Promise<Reporter> {
  const { lineReporter, ttyReporter } = await import("../../orchestrator/reporter.ts");
  const { colorEnabled, isCI } = await import("../../runtime/terminal.ts");
  if (ctx.inputs.stderrIsTTY && !isCI(ctx.inputs.env)) {
    return ttyReporter(ctx.inputs.stderr, colorEnabled(ctx.inputs, "stderr"), services);
  }
  return lineReporter(ctx.inputs.stderr, { phases: true });
}

/** An AbortSignal that the first SIGINT/SIGTERM/SIGHUP aborts; `dispose` removes the handlers. */
export function interruptSignal(signals: Signals): { signal: AbortSignal; dispose: () => void } {
  const ctl = new AbortController();
  const names = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
  const handler = () => ctl.abort();
  for (const n of names) signals.on(n, handler);
  return {
    signal: ctl.signal,
    dispose: () => {
      for (const n of names) signals.off(n, handler);
    },
  };
}

export function strings(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  return value === undefined ? [] : [String(value)];
}

/**
 * A failed pull's way out, naming the settings file by its path: the one in use, else where a
 * new `sentry.conf.yml` would be read from (the config directory, or the state directory).
 */
export async function settingsImageHint(
  ctx: CommandContext,
): Promise<(service: string) => string> {
  const state = await ctx.chain.throughLevel("docker");
  const { otherImageHint } = await import("../../orchestrator/hints.ts");
  const where = state.location;
  const dir = where?.dir ?? String(state.settings.SENTRYCTL_STATE_DIR ?? "~/.sentry");
  const file = where?.settingsPath ?? `${dir}/sentry.conf.yml`;
  // A TypeScript or Python settings file takes the same key in its own syntax.
  return (service) => otherImageHint(service, file);
}
