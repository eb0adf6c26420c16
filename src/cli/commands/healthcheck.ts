// `sentryctl healthcheck [SERVICE…]`: run each service's probe once; exit 0 when all pass, 6
// otherwise (SPEC §3).

import { SentryctlError } from "../../errors.ts";
import type { Command } from "../command.ts";
import { stack } from "./common.ts";

export const healthcheckCommand: Command = {
  words: ["healthcheck"],
  summary: "Run the services' probes once (default: every container of the project); exit 0 or 6",
  args: "[SERVICE…]",
  positionals: { min: 0, max: Infinity },
  async run(ctx, args) {
    const { services, engine } = await stack(ctx);
    const { projectStatus } = await import("../../orchestrator/service-status.ts");
    const { probeOnce } = await import("../../orchestrator/wait/probes.ts");
    const { describeProbe } = await import("../../orchestrator/plan.ts");
    const statuses = await projectStatus(engine, ctx.flags.project, Date.now());
    const names = args.positionals.length > 0 ? args.positionals : statuses.map((s) => s.service);
    const results = await Promise.all(names.map(async (name) => {
      const status = statuses.find((s) => s.service === name);
      const spec = services.get(name)?.spec.healthcheck;
      if (!status || status.state !== "running" || !status.id) {
        return { name, ok: false, text: status ? `not running (${status.state})` : "no container" };
      }
      if (!spec || !describeProbe(spec)) return { name, ok: true, text: "running (no probe)" };
      const r = await probeOnce(engine, status.id, spec);
      return {
        name,
        ok: r.ok,
        text: `${r.ok ? "healthy" : "unhealthy"}: ${describeProbe(spec)} → ${r.output.trim()}`,
      };
    }));
    for (const r of results) ctx.inputs.stdout.write(`${r.name}: ${r.text}\n`);
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
