// `--project NAME` becomes Docker names (`NAME` network, `NAME_SERVICE` containers, `NAME_VOL`
// volumes), so it must satisfy Docker's name rule before anything reaches the engine: an odd
// value otherwise creates odd networks or fails deep inside with an empty message.

import { usageError } from "../errors.ts";
import { echo } from "../lib/echo.ts";

/** Docker's rule for container, network and volume names: `[a-zA-Z0-9][a-zA-Z0-9_.-]*`. */
const DOCKER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
/** Room for `_<service>` after the project within Docker's practical name lengths. */
export const MAX_PROJECT_LENGTH = 63;

export const PROJECT_RULE = "a letter or digit, then letters, digits, '_', '.' or '-', " +
  `at most ${MAX_PROJECT_LENGTH} characters`;

/** The project name, or a usage error (exit 2) that states the rule. */
export function validateProject(name: string): string {
  const problem = name === ""
    ? "is empty"
    : name.length > MAX_PROJECT_LENGTH
    ? `is ${name.length} characters long`
    : !DOCKER_NAME.test(name)
    ? "is not a valid Docker name"
    : undefined;
  if (problem === undefined) return name;
  throw usageError(`--project '${echo(name, 40)}' ${problem}`, {
    hint: `a project name is ${PROJECT_RULE} (it prefixes containers, the network and volumes)`,
  });
}
