// `sentryctl healthcheck [SERVICE…] [--json]`: run each service's probe once; exit 0 when all
// pass, 6 otherwise (SPEC §3). `--json` prints one document (schemas/healthcheck.schema.json) on
// stdout whatever the outcome, so CI scripts read results without parsing lines (SPEC §4).

import { SentryctlError } from "../../errors.ts";
import type { Command } from "../command.ts";
import { stack } from "./common.ts";

export const healthcheckCommand: Command = {
  words: ["healthcheck"],
  summary: "Run the services' probes once (default: every container of the project); exit 0 or 6",
  args: "[SERVICE…]",
  positionals: { min: 0, max: Infinity },
  options: {
    json: {
      type: "boolean",
      help: "one JSON document on stdout",
    },
  },
  async run(ctx, args) {
    const { services, scope, engine } = await stack(ctx);
    const { projectStatus } = await import("../../orchestrator/service-status.ts");
    const { probeOnce } = await import("../../orchestrator/wait/probes.ts");
    const { describeProbe } = await import("../../orchestrator/plan.ts");
    const statuses = await projectStatus(engine, scope, ctx.inputs.clock.now());
    const { checkServiceNames } = await import("../../services/resolve.ts");
    checkServiceNames(services, args.positionals, statuses.map((s) => s.service));
    const names = args.positionals.length > 0 ? args.positionals : statuses.map((s) => s.service);
    const results = await Promise.all(names.map(async (name) => {
      const status = statuses.find((s) => s.service === name);
      const spec = services.get(name)?.spec.healthcheck;
      const state = status?.state ?? "missing";
      if (!status || status.state !== "running" || !status.id) {
        const text = status ? `not running (${status.state})` : "no container";
        return { name, ok: false, state, probe: null, output: null, text };
      }
      const probe = spec ? describeProbe(spec) : undefined;
      if (!spec || !probe) {
        return { name, ok: true, state, probe: null, output: null, text: "running (no probe)" };
      }
      const r = await probeOnce(engine, status.id, spec);
      const output = r.output.trim();
      const text = `${r.ok ? "healthy" : "unhealthy"}: ${probe} → ${output}`;
      return { name, ok: r.ok, state, probe, output, text };
    }));
    if (args.values.json) {
      const doc = {
        project: ctx.flags.project,
        healthy: results.every((r) => r.ok),
        services: results.map((r) => ({
          service: r.name,
          healthy: r.ok,
          state: r.state,
          probe: r.probe,
          output: r.output,
        })),
      };
      ctx.inputs.stdout.write(JSON.stringify(doc, null, 2) + "\n");
    } else {
      for (const r of results) ctx.inputs.stdout.write(`${r.name}: ${r.text}\n`);
    }
    const failed = results.filter((r) => !r.ok);
    if (failed.length > 0) {
      throw new SentryctlError(
        "unhealthy",
        `${failed.map((f) => f.name).join(", ")} ${failed.length === 1 ? "is" : "are"} not healthy`,
        { hint: `see 'sentryctl logs ${failed[0]!.name}'` },
      );
    }
    if (results.length === 0) {
      ctx.inputs.stderr.write(`No containers in project '${ctx.flags.project}'.\n`);
    }
    return 0;
  },
};
