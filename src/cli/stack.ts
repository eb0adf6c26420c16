// The stack a command runs, from the global flags (SPEC §3a): `-f FILE…`, else
// `./devservices/config.yml`, else the built-in catalog. Project files are read here once,
// with their warnings printed on stderr, for every command that needs the model.

import type { LoadedProject, SourceSelection } from "../compose/types.ts";
import type { CommandContext } from "./command.ts";

export type LoadedStack =
  | { kind: "catalog" }
  | { kind: "files"; project: LoadedProject; source: Extract<SourceSelection, { kind: "files" }> };

export async function loadStackFromFlags(
  ctx: CommandContext,
  options: { profiles?: readonly string[]; services?: readonly string[] } = {},
): Promise<LoadedStack> {
  const { loadProject, selectStackSource } = await import("../compose/index.ts");
  const { inputs, flags } = ctx;
  const source = await selectStackSource({ files: flags.files, cwd: inputs.cwd });
  if (source.kind === "catalog") {
    if (flags.projectDirectory || flags.envFile) {
      const { usageError } = await import("../errors.ts");
      throw usageError("--project-directory and --env-file need a project file", {
        hint: "pass -f FILE before the command, or run in a directory with devservices/config.yml",
      });
    }
    return source;
  }
  const project = await loadProject({
    files: source.files,
    projectDirectory: flags.projectDirectory,
    envFile: flags.envFile,
    profiles: options.profiles,
    services: options.services,
    projectName: flags.projectGiven ? flags.project : undefined,
    env: inputs.env,
    cwd: inputs.cwd,
    home: inputs.home,
  });
  for (const warning of project.warnings) inputs.stderr.write(`warning: ${warning}\n`);
  return { kind: "files", project, source };
}

/**
 * Which stack a command runs, in words (`ps`, `doctor`; `config stack` prints the same under
 * `# source:`): the files and how they were chosen, or the built-in catalog.
 */
export function describeSource(loaded: LoadedStack): string {
  if (loaded.kind === "catalog") return "built-in catalog (no -f, no ./devservices/config.yml)";
  const via = loaded.source.via === "flag" ? "-f" : "./devservices/config.yml";
  return `${loaded.project.configFiles.join(", ")} (${via})`;
}

/** `config stack` for the built-in catalog: each enabled service's image and ports. */
export async function catalogSummary(ctx: CommandContext, json: boolean): Promise<string> {
  const { loadCatalogServices } = await import("./commands/catalog-services.ts");
  const { portHost, portNumber } = await import("../services/resolve.ts");
  const services = [...(await loadCatalogServices(ctx, "docker")).values()].filter((s) =>
    s.enabled
  );
  const view = services.map((s) => ({
    name: s.name,
    container: s.containerName,
    image: s.spec.image,
    ports: Object.entries(s.spec.ports ?? {}).map(([target, value]) =>
      `${portHost(value)}:${portNumber(value)}->${target}`
    ),
    depends_on: s.spec.depends_on ?? [],
  }));
  if (json) {
    return `${
      JSON.stringify({ source: "catalog", project: ctx.flags.project, services: view }, null, 2)
    }\n`;
  }
  const lines = [
    `# source: built-in catalog (no -f, no ./devservices/config.yml)`,
    `# project: ${ctx.flags.project}`,
  ];
  for (const s of view) {
    lines.push(`${s.name}: ${s.image}${s.ports.length ? `  ports ${s.ports.join(", ")}` : ""}`);
  }
  return `${lines.join("\n")}\n`;
}
