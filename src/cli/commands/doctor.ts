// `sentryctl doctor`: what sentryctl sees — every Docker endpoint tried and which answers (with
// the engine's name and version), the config files found, images missing, host ports held by
// something else, and containers holding our names without our label. Exit 1 on a problem.

import type { Command } from "../command.ts";
import { loadServices } from "./common.ts";

export const doctorCommand: Command = {
  words: ["doctor"],
  summary: "Check the Docker endpoint, config files, images, ports and container names",
  async run(ctx) {
    const out = (line: string) => ctx.inputs.stdout.write(`${line}\n`);
    const { candidateEndpoints } = await import("../../docker/endpoint.ts");
    const { describeEndpoint, tryEndpoint } = await import("../../docker/connect.ts");
    const { engineName } = await import("../../orchestrator/doctor.ts");
    const problems: string[] = [];
    out("Docker endpoints:");
    let engine;
    for (const endpoint of candidateEndpoints(ctx.inputs.env, ctx.inputs.home)) {
      const { client, error } = await tryEndpoint(endpoint);
      if (client) {
        const version = await client.version().catch(() => undefined);
        out(`  ok    ${describeEndpoint(endpoint)}: ${version ? engineName(version) : "answers"}`);
        engine ??= client;
      } else out(`  fail  ${describeEndpoint(endpoint)}: ${error}`);
    }
    if (!engine) problems.push("no Docker endpoint answers");

    const state = await ctx.chain.throughLevel("validated");
    const where = state.location;
    out("Configuration:");
    if (!where) out("  no config directory: built-in defaults");
    else {
      out(`  directory ${where.dir} (${where.source})`);
      out(`  ${where.hasOptionsFile ? "found" : "no"}    ${where.optionsPath}`);
      out(`  ${where.settingsPath ? `found    ${where.settingsPath}` : "no settings file"}`);
      if (where.unreadPyPath) {
        out(`  ignored  ${where.unreadPyPath} (Python settings are not read)`);
      }
    }
    const services = await loadServices(ctx);
    const enabled = [...services.values()].filter((s) => s.enabled);
    out(`Services enabled (${enabled.length}): ${enabled.map((s) => s.name).join(", ")}`);
    if (engine) {
      const { checkStack } = await import("../../orchestrator/doctor.ts");
      const report = await checkStack(engine, ctx.flags.project, [...services.values()]);
      out(
        `Images missing: ${
          report.missingImages.length > 0 ? report.missingImages.join(", ") : "none"
        }`,
      );
      out(`Port conflicts: ${report.portConflicts.length > 0 ? "" : "none"}`);
      for (const c of report.portConflicts) out(`  ${c}`);
      out(`Foreign containers holding our names: ${report.foreign.length > 0 ? "" : "none"}`);
      for (const f of report.foreign) out(`  ${f}`);
      problems.push(...report.portConflicts, ...report.foreign);
    }
    out(problems.length === 0 ? "No problems found." : `${problems.length} problem(s) found.`);
    return problems.length === 0 ? 0 : 1;
  },
};
