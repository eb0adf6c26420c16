// `config stack` output: `--json` in the shape of `docker compose config --format json`; the
// human form is the same model as YAML under comment lines naming the source and the project.

import type { LoadedProject } from "./types.ts";
import { loadYamlLibrary } from "./yaml-tree.ts";

/** The model as compose prints it: empty sections left out, top-level `x-` fields kept. */
export function toComposeJson(project: LoadedProject): Record<string, unknown> {
  const { model } = project;
  const out: Record<string, unknown> = { name: model.name, services: model.services };
  for (const section of ["networks", "volumes", "secrets"] as const) {
    if (Object.keys(model[section]).length > 0) out[section] = model[section];
  }
  for (const [k, v] of Object.entries(model.extensions)) out[k] = v;
  return out;
}

export async function renderModelText(project: LoadedProject, via: string): Promise<string> {
  const yaml = await loadYamlLibrary();
  const header = [
    `# source: ${project.configFiles.join(", ")} (${via})`,
    `# project: ${project.name} (from ${project.nameSource}); directory ${project.workingDir}`,
    `# profiles: ${project.profiles.length > 0 ? project.profiles.join(", ") : "none active"}` +
    (project.disabledServices.length > 0
      ? `; not included: ${project.disabledServices.join(", ")}`
      : ""),
  ];
  const body = yaml.stringify(toComposeJson(project), {
    lineWidth: 0,
    aliasDuplicateObjects: false,
  });
  return `${header.join("\n")}\n${body}`;
}
