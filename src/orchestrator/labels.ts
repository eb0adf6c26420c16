// Ownership by label (SPEC §3): every resource sentryctl creates carries these, and cleanup
// selects by them, never by name prefix.

export const LABEL_PREFIX = "io.sentry.sentryctl";
export const LABELS = {
  project: `${LABEL_PREFIX}.project`,
  service: `${LABEL_PREFIX}.service`,
  configHash: `${LABEL_PREFIX}.config-hash`,
  version: `${LABEL_PREFIX}.version`,
  owner: `${LABEL_PREFIX}.owner`,
  session: `${LABEL_PREFIX}.session`,
} as const;
