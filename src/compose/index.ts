// Project files (SPEC §3a): the compose-format reader. `selectStackSource` says which stack a
// command runs; `loadProject` reads project files into compose's canonical model. Nothing here
// touches Docker; converge (src/orchestrator) and devservices build on the model.

export { loadProject, nodeFs, normalizeProjectName, projectName } from "./project.ts";
export { DEVSERVICES_FILE, selectStackSource } from "./select.ts";
export { renderModelText, toComposeJson } from "./render.ts";
export type * from "./types.ts";
