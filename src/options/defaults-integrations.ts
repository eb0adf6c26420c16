// The registered options, part 2: GitHub and Google login, then sentryctl's own `status.*`.
// Order matters: defaults are promoted into settings in registration order, so
// `github-login.*` (registered after `github-app.*`) wins for GITHUB_APP_ID among the defaults,
// as in Sentry.

import {
  FLAG_CREDENTIAL as CRED,
  FLAG_NOSTORE as NOSTORE,
  FLAG_PRIORITIZE_DISK as DISK,
  FLAG_STOREONLY as STOREONLY,
  OPTIONS,
} from "./registry.ts";
import { Bool, Sequence, String } from "./types.ts";

const r = OPTIONS.register.bind(OPTIONS);

// GitHub integration, then GitHub login (see the note on order at the top)
r("github-app.id", { default: 0, description: "GitHub App id" });
r("github-app.name", { default: "", description: "GitHub App name" });
r("github-app.webhook-secret", {
  default: "",
  flags: CRED,
  description: "GitHub App webhook secret",
});
r("github-app.private-key", { default: "", flags: CRED, description: "GitHub App private key" });
r("github-app.client-id", {
  flags: DISK,
  description: "GitHub App client id (SSO too with SENTRY_SINGLE_ORGANIZATION)",
});
r("github-app.client-secret", { flags: CRED | DISK, description: "GitHub App client secret" });
r("github-login.client-id", { default: "", flags: DISK, description: "GitHub OAuth client id" });
r("github-login.client-secret", {
  default: "",
  flags: CRED | DISK,
  description: "GitHub OAuth client secret",
});
r("github-login.require-verified-email", {
  type: Bool,
  default: false,
  flags: DISK,
  description: "Require a verified GitHub email",
});
r("github-login.base-domain", {
  default: "github.com",
  flags: DISK,
  description: "GitHub web domain",
});
r("github-login.api-domain", {
  default: "api.github.com",
  flags: DISK,
  description: "GitHub API domain",
});
r("github-login.extended-permissions", {
  type: Sequence,
  default: [],
  flags: DISK,
  description: "Extra OAuth scopes",
});
r("github-login.organization", {
  flags: DISK,
  description: "Restrict login to members of this organization",
});

// Google login
r("auth-google.client-id", { flags: DISK, description: "Google OAuth client id" });
r("auth-google.client-secret", { flags: CRED | DISK, description: "Google OAuth client secret" });

// sentryctl's own
r("status.bind", {
  default: "127.0.0.1:8990",
  flags: NOSTORE,
  description: "Address of the status server (`sentryctl serve`, `attach --status`)",
});
r("status.allowed-hosts", {
  type: Sequence,
  default: ["localhost", "127.0.0.1", "[::1]"],
  flags: NOSTORE,
  description: "Host names the status server answers to (DNS-rebinding guard)",
});
r("status.token", {
  type: String,
  flags: STOREONLY | CRED,
  description: "Status server token; kept in $SENTRY_CONF/status-token, never in config.yml",
});
