// What the stack commands share: the resolved services and a connected engine (looked up
// concurrently), the progress reporter that suits the terminal, and Ctrl-C as an AbortSignal.

import type { Engine } from "../../docker/engine.ts";
import type { Reporter } from "../../orchestrator/reporter.ts";
import type { Signals } from "../../runtime/io.ts";
import type { ServiceSet } from "../../services/resolve.ts";
import type { CommandContext } from "../command.ts";

/**
 * The resolved services. Commands that only look at or remove containers (`ps`, `down`, `rm`)
 * pass `"docker"`: settings are loaded, the validators and the SDK set-up are not run (SPEC §2).
 */
export async function loadServices(
  ctx: CommandContext,
  level: "docker" | "validated" = "validated",
  /** Only commands that create containers write services' default config files (issue 22). */
  creates = false,
): Promise<ServiceSet> {
  const state = await ctx.chain.throughLevel(level);
  const { resolveServices } = await import("../../services/resolve.ts");
  return resolveServices(
    state.settings,
    (state.settings.SENTRY_OPTIONS ?? {}) as Record<string, unknown>,
    ctx.inputs.env,
    ctx.flags.project,
    undefined,
    creates,
  );
}

/** The engine, after orphaned session containers were removed (SPEC §4; src/cli/docker.ts). */
export async function connect(ctx: CommandContext): Promise<Engine> {
  const { dockerForCommand } = await import("../docker.ts");
  return await dockerForCommand(ctx);
}

/** Services and engine together: settings are read while the engine is pinged. */
export async function stack(
  ctx: CommandContext,
  level: "docker" | "validated" = "validated",
  creates = false,
): Promise<{ services: ServiceSet; engine: Engine }> {
  const [services, engine] = await Promise.all([loadServices(ctx, level, creates), connect(ctx)]);
  return { services, engine };
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
