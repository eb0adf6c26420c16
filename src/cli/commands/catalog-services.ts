// The built-in catalog's resolved services from the settings chain. Commands that only look at
// or remove containers (`ps`, `down`, `rm`) pass `"docker"`: settings are loaded, the validators
// and the SDK set-up are not run (SPEC §2).

import type { ServiceSet } from "../../services/resolve.ts";
import type { CommandContext } from "../command.ts";

export async function loadCatalogServices(
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
