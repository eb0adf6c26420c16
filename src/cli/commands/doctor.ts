// `sentryctl doctor`: what sentryctl sees — every Docker endpoint tried and which answers (with
// the engine's name and version), the config files found, images missing, host ports held by
// something else, and containers holding our names without our label. Exit 1 on a problem.

import type { Command } from "../command.ts";
import { loadStackServices } from "./common.ts";

export const doctorCommand: Command = {
  words: ["doctor"],
  summary: "Check the Docker endpoint, config files, images, ports and container names",
  async run(ctx) {
    const out = (line: string) => ctx.inputs.stdout.write(`${line}\n`);
    const { candidateEndpoints } = await import("../../docker/endpoint.ts");
    const { describeEndpoint, tryEndpoint } = await import("../../docker/connect.ts");
    const { engineName } = await import("../../orchestrator/doctor.ts");
    const problems: string[] = [];
    // Two columns everywhere: a status word padded to one width, then what it is about.
    const row = (status: string, text: string) => out(`  ${status.padEnd(8)}${text}`);
    const heading = (title: string, count: number) => out(`${title}:${count > 0 ? "" : " none"}`);
    out("Docker endpoints:");
    let engine;
    for (const endpoint of candidateEndpoints(ctx.inputs.env, ctx.inputs.home)) {
      const { client, error } = await tryEndpoint(endpoint);
      if (client) {
        const version = await client.version().catch(() => undefined);
        row("ok", `${describeEndpoint(endpoint)}: ${version ? engineName(version) : "answers"}`);
        engine ??= client;
      } else row("fail", `${describeEndpoint(endpoint)}: ${error}`);
    }
    if (!engine) problems.push("no Docker endpoint answers");

    const state = await ctx.chain.throughLevel("validated");
    const where = state.location;
    out("Configuration:");
    if (!where) row("none", "no config directory: built-in defaults");
    else {
      row("dir", `${where.dir} (${where.source})`);
      row(where.hasOptionsFile ? "found" : "missing", where.optionsPath);
      if (where.settingsPath) row("found", where.settingsPath);
      else row("missing", "no settings file");
      for (const shadowed of where.shadowedSettingsPaths ?? []) {
        row("ignored", `${shadowed} (an earlier settings file wins: .ts > .yml > .py)`);
      }
    }
    const { services, scope, project: file, source } = await loadStackServices(ctx);
    out(`Stack source: ${source}; project '${ctx.flags.project}'`);
    const enabled = [...services.values()].filter((s) => s.enabled);
    out(`Services enabled (${enabled.length}): ${enabled.map((s) => s.name).join(", ")}`);
    if (engine) {
      const { checkRegistries, checkStack } = await import("../../orchestrator/doctor.ts");
      // A project file's containers are the project's whoever made them (SPEC §3a adoption).
      const report = await checkStack(engine, scope, [...services.values()]);
      // An image a service builds (`build:`) is made by `up`, not pulled from a registry.
      const built = new Set(
        enabled.filter((s) => file?.model.services[s.name]?.build).map((s) => s.spec.image),
      );
      const pulled = report.missingImages.filter((i) => !built.has(i));
      heading("Images missing", report.missingImages.length);
      for (const image of report.missingImages) {
        if (built.has(image)) row("build", `${image} (built by up from the service's build:)`);
        else row("missing", image);
      }
      if (pulled.length > 0) {
        // A missing image is pulled on first use: say now whether its registry answers.
        out("Registries of missing images:");
        for (const r of await checkRegistries(engine, pulled)) {
          const count = `${r.failed.length} of ${r.images.length} image(s)`;
          row(
            r.error ? "fail" : "ok",
            r.error ? `${r.registry} (${count}): ${r.error}` : r.registry,
          );
          if (r.error) problems.push(`registry ${r.registry} cannot give ${count}: ${r.error}`);
        }
      }
      heading(`Containers of project '${scope.project}'`, report.containers.length);
      for (const c of report.containers) {
        row(c.state, `${c.service}: ${c.container} (made by ${c.madeBy})`);
      }
      heading("Port conflicts", report.portConflicts.length);
      for (const c of report.portConflicts) row("held", c);
      heading("Foreign containers holding our names", report.foreign.length);
      for (const f of report.foreign) row("foreign", f);
      problems.push(...report.portConflicts, ...report.foreign);
    }
    out(problems.length === 0 ? "No problems found." : `${problems.length} problem(s) found.`);
    return problems.length === 0 ? 0 : 1;
  },
};
