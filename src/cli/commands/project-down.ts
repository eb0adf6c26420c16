// `down`/`rm` on a project file (SPEC §3a): the project's containers whoever made them (by
// compose's project label), `down` also its networks as compose does; `rm` its volumes too,
// after a confirmation on a terminal (or -y).

import { failure } from "../../errors.ts";
import type { CommandContext } from "../command.ts";
import type { LoadedStack } from "../stack.ts";
import { connect } from "./common.ts";

export async function projectRemoval(
  ctx: CommandContext,
  loaded: Extract<LoadedStack, { kind: "files" }>,
  names: string[],
  volumes: boolean,
  yes: boolean,
): Promise<number> {
  const engine = await connect(ctx);
  const { projectRemove } = await import("../../orchestrator/project/lifecycle.ts");
  const { lineReporter } = await import("../../orchestrator/reporter.ts");
  const reporter = lineReporter(ctx.inputs.stderr);
  const project = loaded.project;
  if (volumes && !yes) {
    const preview = await projectRemove(engine, project, {
      names,
      volumes,
      dryRun: true,
      reporter,
    });
    const { isInteractive } = await import("../../runtime/terminal.ts");
    if (!isInteractive(ctx.inputs)) {
      throw failure(
        "rm deletes data and needs a confirmation, but there is no terminal to ask on",
        { details: preview.text.trimEnd(), hint: "pass -y to remove without asking" },
      );
    }
    ctx.inputs.stderr.write(preview.text);
    const { confirm } = await import("../prompt.ts");
    const what = names.length > 0 ? names.join(", ") : `project '${project.name}'`;
    if (
      !(await confirm(
        `Remove the containers and volumes of ${what}?`,
        ctx.inputs.stderr,
        ctx.inputs.stdin(),
      ))
    ) {
      ctx.inputs.stderr.write("Nothing removed.\n");
      return 1;
    }
  }
  const result = await projectRemove(engine, project, { names, volumes, reporter });
  if (result.removedContainers.length === 0 && result.removedVolumes.length === 0) {
    ctx.inputs.stderr.write(`> Nothing to remove for project '${project.name}'\n`);
  }
  return 0;
}
