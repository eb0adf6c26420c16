// `sentryctl config stack [--json]` (SPEC §3a): the stack a command would run, resolved — for a
// project file after merge, interpolation and profiles, printed as compose's canonical model
// (`--json` is `docker compose config --format json`'s shape); for the built-in catalog, its
// services.

import type { Command } from "../command.ts";

export const configStackCommand: Command = {
  words: ["config", "stack"],
  summary: "Print the resolved stack (project files after merge, interpolation, profiles)",
  description:
    "The source is -f FILE… (global, before the command), else ./devservices/config.yml, else " +
    "the built-in catalog. Warnings (unknown keys, unset variables) go to stderr.",
  options: {
    json: { type: "boolean", help: "print the model as `docker compose config --format json`" },
    profile: {
      type: "string",
      multiple: true,
      value: "P",
      help: "activate a profile (repeatable; default $COMPOSE_PROFILES, then .env)",
    },
  },
  async run(ctx, args) {
    const { catalogSummary, loadStackFromFlags } = await import("../stack.ts");
    const loaded = await loadStackFromFlags(ctx, {
      profiles: args.values.profile as string[] | undefined,
    });
    const out = ctx.inputs.stdout;
    if (loaded.kind === "catalog") {
      out.write(await catalogSummary(ctx, Boolean(args.values.json)));
      return 0;
    }
    const { renderModelText, toComposeJson } = await import("../../compose/index.ts");
    const { project, source } = loaded;
    out.write(
      args.values.json
        ? `${JSON.stringify(toComposeJson(project), null, 2)}\n`
        : await renderModelText(project, source.via === "flag" ? "-f" : "./devservices/config.yml"),
    );
    return 0;
  },
};
