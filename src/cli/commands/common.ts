// What the stack commands share: the resolved services and a connected engine (looked up
// concurrently), the progress reporter that suits the terminal, and Ctrl-C as an AbortSignal.

import type { Engine } from "../../docker/engine.ts";
import type { Reporter } from "../../orchestrator/reporter.ts";
import type { ServiceSet } from "../../services/resolve.ts";
import type { CommandContext } from "../command.ts";

export async function loadServices(ctx: CommandContext): Promise<ServiceSet> {
  const state = await ctx.chain.throughLevel("validated");
  const { resolveServices } = await import("../../services/resolve.ts");
  return resolveServices(
    state.settings,
    (state.settings.SENTRY_OPTIONS ?? {}) as Record<string, unknown>,
    ctx.inputs.env,
    ctx.flags.project,
  );
}

export async function connect(ctx: CommandContext): Promise<Engine> {
  const { connectDocker } = await import("../../docker/connect.ts");
  return await connectDocker(ctx.inputs.env, ctx.inputs.home);
}

/** Services and engine together: settings are read while the engine is pinged. */
export async function stack(
  ctx: CommandContext,
): Promise<{ services: ServiceSet; engine: Engine }> {
  const [services, engine] = await Promise.all([loadServices(ctx), connect(ctx)]);
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
export function interruptSignal(): { signal: AbortSignal; dispose: () => void } {
  const ctl = new AbortController();
  const names = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
  const handler = () => ctl.abort();
  for (const n of names) process.on(n, handler);
  return {
    signal: ctl.signal,
    dispose: () => {
      for (const n of names) process.off(n, handler);
    },
  };
}

export function strings(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  return value === undefined ? [] : [String(value)];
}
