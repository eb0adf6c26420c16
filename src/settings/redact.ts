// Secrets never appear in `config show`: credential options, settings promoted from them,
// secret-looking keys at any depth, and the user-info part of URLs (DSNs, database URLs).

import { FLAG_CREDENTIAL, lookupOption } from "../options/index.ts";

export const REDACTED = "********";

const SECRET_NAME =
  /(^|[._-])(password|passwd|secret|token|dsn|credentials?|(secret|private|api|access)[._-]?key)$/i;
const SECRET_SETTINGS = new Set(["SECRET_KEY", "EMAIL_HOST_PASSWORD", "GITHUB_API_SECRET"]);

function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

function present(value: unknown): boolean {
  return value !== null && value !== undefined && value !== "";
}

/** `scheme://user:pass@host` and `scheme://key@host` lose their user info. */
function redactUrl(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/i, `$1${REDACTED}@`);
}

function redactDeep(value: unknown): unknown {
  if (typeof value === "string") return redactUrl(value);
  if (Array.isArray(value)) return value.map(redactDeep);
  if (value && typeof value === "object" && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value).map((
        [k, v],
      ) => [k, isSecretName(k) && present(v) ? REDACTED : redactDeep(v)]),
    );
  }
  return value;
}

export function redactOption(key: string, value: unknown): unknown {
  const def = lookupOption(key);
  const secret = (def !== undefined && (def.flags & FLAG_CREDENTIAL) !== 0) || isSecretName(key);
  return secret && present(value) ? REDACTED : redactDeep(value);
}

export function redactSetting(name: string, value: unknown): unknown {
  const secret = SECRET_SETTINGS.has(name) || isSecretName(name);
  return secret && present(value) ? REDACTED : redactDeep(value);
}
