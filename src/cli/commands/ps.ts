// `sentryctl ps [SERVICE…] [--json]` (alias `status`): the project's containers (SPEC §3).

import type { Command, CommandContext, ParsedArgs } from "../command.ts";
import { loadStackServices } from "./common.ts";

async function ps(ctx: CommandContext, args: ParsedArgs): Promise<number> {
  const { dockerWithSweep } = await import("../docker.ts");
  const [{ services, scope, source }, { engine, sweep }, status] = await Promise.all([
    loadStackServices(ctx, "docker"),
    dockerWithSweep(ctx),
    import("../../orchestrator/service-status.ts"),
  ]);
  const { projectStatus, renderStatusTable, withProbedHealth } = status;
  const wanted = new Set(args.positionals);
  const project = ctx.flags.project;
  // A project file's project is compose's: what docker compose or devservices made is listed too.
  const list = () => projectStatus(engine, scope, ctx.inputs.clock.now());
  const [listed, swept] = await Promise.all([list(), sweep]);
  // The sweep removed a container of this project while we listed: list again.
  const fresh = swept.some((s) => s.project === project) ? await list() : listed;
  // Which stack this is (SPEC §3a), on stderr: stdout stays the table or the JSON array.
  ctx.inputs.stderr.write(`Stack source: ${source}; project '${project}'\n`);
  const { checkServiceNames } = await import("../../services/resolve.ts");
  checkServiceNames(services, args.positionals, fresh.map((s) => s.service));
  let statuses = fresh.filter((s) => wanted.size === 0 || wanted.has(s.service));
  statuses = await withProbedHealth(
    engine,
    statuses,
    new Map([...services.values()].map((s) => [s.name, s.spec.healthcheck])),
  );
  if (args.values.json) {
    ctx.inputs.stdout.write(JSON.stringify(statuses, null, 2) + "\n");
  } else if (statuses.length === 0) {
    // Known services (checked above) that have no container: a plain statement, not an error.
    ctx.inputs.stderr.write(
      wanted.size === 0
        ? `No containers in project '${project}'.\n`
        : `No container for ${[...wanted].join(", ")} in project '${project}'.\n`,
    );
  } else {
    ctx.inputs.stdout.write(renderStatusTable(statuses));
  }
  return 0;
}

const options: Command["options"] = {
  json: { type: "boolean", help: "one JSON array of services on stdout" },
};

export const psCommand: Command = {
  words: ["ps"],
  summary: "List the project's services: container, state, health, ports, image, uptime",
  args: "[SERVICE…]",
  positionals: { min: 0, max: Infinity },
  options,
  run: ps,
};

export const statusCommand: Command = { ...psCommand, words: ["status"], summary: "Same as ps" };
