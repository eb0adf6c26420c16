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

/** Which command created a container. */
/** Compose's project and service labels (the rest are in ./project/container.ts). */
export const COMPOSE_LABELS = {
  project: "com.docker.compose.project",
  service: "com.docker.compose.service",
} as const;

export type Owner = "attach" | "up" | "with";

export function projectFilter(project: string): string {
  return `${LABELS.project}=${project}`;
}
