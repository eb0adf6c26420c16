// Ownership by label (SPEC §3): every resource sentryctl creates carries these, and cleanup
// selects by them, never by name prefix. Containers also say which command made them (`owner`)
// and, for the foreground commands, which process (`session`), so `up` can tell a container a
// live `attach` holds from one it may adopt.

export const LABEL_PREFIX = "io.sentry.sentryctl";
export const LABELS = {
  project: `${LABEL_PREFIX}.project`,
  service: `${LABEL_PREFIX}.service`,
  configHash: `${LABEL_PREFIX}.config-hash`,
  version: `${LABEL_PREFIX}.version`,
  owner: `${LABEL_PREFIX}.owner`,
  session: `${LABEL_PREFIX}.session`,
} as const;

/**
 * Compose's labels that say whose a container is (the rest are in ./project/container.ts): the
 * project, the service, which replica (`docker compose up --scale`) and whether it is a
 * one-off (`docker compose run`).
 */
export const COMPOSE_LABELS = {
  project: "com.docker.compose.project",
  service: "com.docker.compose.service",
  number: "com.docker.compose.container-number",
  oneoff: "com.docker.compose.oneoff",
} as const;

/** Which command created a container. */
export type Owner = "attach" | "up" | "with";

export function projectFilter(project: string): string {
  return `${LABELS.project}=${project}`;
}
