// `sentryctl down [SERVICE…]` and `sentryctl rm [SERVICE…] [-y] [--legacy]` (SPEC §3).

import { failure, usageError } from "../../errors.ts";
import type { Command, CommandContext, ParsedArgs } from "../command.ts";
import { stack } from "./common.ts";

async function removal(ctx: CommandContext, args: ParsedArgs, volumes: boolean): Promise<number> {
  const { services, engine } = await stack(ctx, "docker");
  const { remove } = await import("../../orchestrator/stack.ts");
  const { lineReporter } = await import("../../orchestrator/reporter.ts");
  const names = args.positionals;
  const legacy = Boolean(args.values.legacy);
  if (volumes && !args.values.yes) {
    // Show what would go, then ask (only on a terminal).
    const preview = await remove(engine, services, {
      project: ctx.flags.project,
      names,
      volumes,
      legacy,
      dryRun: true,
      reporter: lineReporter(ctx.inputs.stderr),
    });
    const { removedContainers: containers, removedVolumes: vols } = preview;
    if (containers.length === 0 && vols.length === 0) {
      ctx.inputs.stderr.write(`> Nothing to remove for project '${ctx.flags.project}'\n`);
      return 0;
    }
    // The plan first, then the error and its hint together (or the question).
    ctx.inputs.stderr.write(preview.text);
    const { isInteractive } = await import("../../runtime/terminal.ts");
    if (!isInteractive(ctx.inputs)) {
      throw failure(
        "rm deletes data and needs a confirmation, but there is no terminal to ask on",
        { hint: "pass -y to remove without asking" },
      );
    }
    const { confirm } = await import("../prompt.ts");
    const question = `Remove ${counted(containers, "container")} and ${
      counted(vols, "volume")
    } (data is lost)?`;
    if (!(await confirm(question, ctx.inputs.stderr, ctx.inputs.stdin()))) {
      ctx.inputs.stderr.write("Nothing removed.\n");
      return 1;
    }
  }
  const result = await remove(engine, services, {
    project: ctx.flags.project,
    names,
    volumes,
    legacy,
    reporter: lineReporter(ctx.inputs.stderr),
  });
  if (result.removedContainers.length === 0 && result.removedVolumes.length === 0) {
    ctx.inputs.stderr.write(`> Nothing to remove for project '${ctx.flags.project}'\n`);
  }
  if (result.keptLegacy.length > 0) {
    ctx.inputs.stderr.write(
      `> Kept unlabelled volumes (made by the legacy devservices): ${
        result.keptLegacy.join(", ")
      }` +
        "; remove them with --legacy\n",
    );
  }
  return 0;
}

/** `2 containers (a, b)`, `1 volume (x)`, `no volumes`. */
function counted(names: readonly string[], noun: string): string {
  if (names.length === 0) return `no ${noun}s`;
  const shown = names.length > 4 ? [...names.slice(0, 4), "…"] : names;
  return `${names.length} ${noun}${names.length === 1 ? "" : "s"} (${shown.join(", ")})`;
}

export const downCommand: Command = {
  words: ["down"],
  summary: "Stop and remove containers (default: all of the project); keep volumes and network",
  args: "[SERVICE…]",
  positionals: { min: 0, max: Infinity },
  options: {
    orphans: {
      type: "boolean",
      help:
        "only remove orphans: containers of a with/attach run whose process is gone (any project)",
    },
  },
  async run(ctx, args) {
    if (!args.values.orphans) return await removal(ctx, args, false);
    if (args.positionals.length > 0) {
      throw usageError("--orphans takes no service names", {
        hint: "orphans are found by their session label, in every project",
      });
    }
    const { downOrphans } = await import("../docker.ts");
    return await downOrphans(ctx);
  },
};

export const rmCommand: Command = {
  words: ["rm"],
  summary: "Remove containers and their volumes (and the network when no service is named)",
  args: "[SERVICE…]",
  description: [
    "Asks first on a terminal; without one it refuses unless -y. Volumes without sentryctl's",
    "labels (made by the legacy sentry devservices) are kept and listed unless --legacy.",
  ].join("\n"),
  positionals: { min: 0, max: Infinity },
  options: {
    yes: { type: "boolean", short: "y", help: "do not ask" },
    legacy: { type: "boolean", help: "also remove unlabelled volumes with our names" },
  },
  run: (ctx, args) => removal(ctx, args, true),
};
