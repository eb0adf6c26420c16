// The registered options, part 1: system, Redis, mail, auth, filestore and SDK options from
// Sentry's `sentry/options/defaults.py` (the part a config file may hold), in Sentry's
// registration order. Part 2 is `defaults-integrations.ts`; `index.ts` imports both in order.

import {
  FLAG_ALLOW_EMPTY as EMPTY,
  FLAG_AUTOMATOR_MODIFIABLE as AUTO,
  FLAG_CREDENTIAL as CRED,
  FLAG_IMMUTABLE as IMMUTABLE,
  FLAG_NOSTORE as NOSTORE,
  FLAG_PRIORITIZE_DISK as DISK,
  FLAG_REQUIRED as REQUIRED,
  OPTIONS,
} from "./registry.ts";
import { Bool, Dict, Float, Int, String } from "./types.ts";

const r = OPTIONS.register.bind(OPTIONS);

// System
r("system.admin-email", {
  flags: REQUIRED,
  description: "Technical contact for this installation",
});
r("system.support-email", {
  flags: EMPTY | DISK | AUTO,
  description: "Support contact shown to users",
});
r("system.security-email", {
  flags: EMPTY | DISK | AUTO,
  description: "Contact for security reports",
});
r("system.databases", {
  type: Dict,
  flags: NOSTORE,
  description: "Unused; databases come from DATABASES",
});
r("system.event-retention-days", {
  default: 0,
  flags: EMPTY | DISK | AUTO,
  description: "Days to keep events (0: forever)",
});
r("system.secret-key", {
  flags: CRED | NOSTORE,
  description: "Signs sessions; `sentryctl init` generates it (50 characters)",
});
r("system.root-api-key", { flags: DISK | AUTO, description: "API key with full access (legacy)" });
r("system.logging-format", {
  default: "human",
  flags: NOSTORE,
  description: "`human` or `machine` (JSON lines); SENTRY_LOG_FORMAT overrides it",
});
r("system.upload-url-prefix", {
  flags: DISK | AUTO,
  description: "URL prefix of the chunk upload endpoint",
});
r("system.url-prefix", {
  env: "SENTRY_SYSTEM_URL_PREFIX",
  flags: REQUIRED | DISK,
  description: "Absolute URL of the Sentry web server, without a trailing slash",
});
r("system.internal-url-prefix", {
  flags: EMPTY | DISK | AUTO,
  description: "URL prefix for internal requests",
});
r("system.base-hostname", {
  env: "SENTRY_SYSTEM_BASE_HOSTNAME",
  flags: EMPTY | DISK | NOSTORE,
  description: "Base hostname that account domains are subdomains of",
});
r("system.organization-base-hostname", {
  env: "SENTRY_ORGANIZATION_BASE_HOSTNAME",
  flags: EMPTY | DISK | NOSTORE,
  description: "Template for organization subdomain hostnames",
});
r("system.organization-url-template", {
  env: "SENTRY_ORGANIZATION_URL_TEMPLATE",
  flags: EMPTY | DISK | NOSTORE,
  description: "Template for organization URLs, with the protocol",
});
r("system.region-api-url-template", {
  env: "SENTRY_REGION_API_URL_TEMPLATE",
  flags: EMPTY | DISK | NOSTORE,
  description: "Template for region API URLs",
});
r("system.region", { flags: EMPTY | DISK | NOSTORE, description: "Region this instance runs in" });

// Redis
r("redis.clusters", {
  type: Dict,
  default: { default: { hosts: { 0: { host: "127.0.0.1", port: 6379 } } } },
  flags: NOSTORE | IMMUTABLE,
  description: "Redis clusters by name; backends refer to them by name",
});
r("redis.options", { type: Dict, flags: NOSTORE, description: "Legacy Redis options" });

// Processing worker caches
r("dsym.cache-path", {
  type: String,
  default: "/tmp/sentry-dsym-cache",
  flags: DISK | AUTO,
  description: "Cache directory for debug files",
});
r("releasefile.cache-path", {
  type: String,
  default: "/tmp/sentry-releasefile-cache",
  flags: DISK | AUTO,
  description: "Cache directory for release files",
});
r("releasefile.cache-limit", {
  type: Int,
  default: 10 * 1024 * 1024,
  flags: DISK | AUTO,
  description: "Largest release file kept in the cache (bytes)",
});

// Mail
r("mail.backend", {
  default: "smtp",
  flags: NOSTORE,
  description: "`smtp`, `console`, `dummy`, `preview` or a backend path",
});
r("mail.host", { default: "127.0.0.1", flags: REQUIRED | DISK, description: "SMTP host" });
r("mail.port", { default: 25, flags: REQUIRED | DISK, description: "SMTP port" });
r("mail.username", { flags: REQUIRED | EMPTY | DISK, description: "SMTP user" });
r("mail.password", {
  flags: REQUIRED | EMPTY | DISK,
  description: "SMTP password (redacted in `config show`)",
});
r("mail.use-tls", { default: false, flags: REQUIRED | DISK, description: "Use STARTTLS" });
r("mail.use-ssl", { default: false, flags: REQUIRED | DISK, description: "Use implicit TLS" });
r("mail.subject-prefix", {
  default: "[Sentry]",
  flags: DISK | AUTO,
  description: "Prefix of every email subject",
});
r("mail.from", {
  default: "root@localhost",
  flags: REQUIRED | DISK,
  description: "Sender address",
});
r("mail.list-namespace", {
  type: String,
  default: "localhost",
  flags: NOSTORE,
  description: "Namespace of the List-Id header",
});
r("mail.enable-replies", {
  default: false,
  flags: DISK | AUTO,
  description: "Accept replies to notification emails",
});
r("mail.reply-hostname", {
  default: "",
  flags: EMPTY | DISK | AUTO,
  description: "Hostname of the Reply-To header",
});
r("mail.mailgun-api-key", {
  default: "",
  flags: EMPTY | DISK | AUTO,
  description: "Mailgun key for inbound mail",
});
r("mail.timeout", {
  default: 10,
  type: Int,
  flags: EMPTY | DISK | AUTO,
  description: "SMTP timeout (seconds)",
});

// SMS
r("sms.twilio-account", {
  default: "",
  flags: EMPTY | DISK | AUTO,
  description: "Twilio account SID",
});
r("sms.twilio-token", {
  default: "",
  flags: CRED | EMPTY | DISK,
  description: "Twilio auth token",
});
r("sms.twilio-number", {
  default: "",
  flags: EMPTY | DISK | AUTO,
  description: "Twilio sender number",
});

// Auth
r("auth.ip-rate-limit", {
  default: 0,
  flags: EMPTY | DISK | AUTO,
  description: "Login attempts per IP and minute (0: off)",
});
r("auth.user-rate-limit", {
  default: 0,
  flags: EMPTY | DISK | AUTO,
  description: "Login attempts per user and minute (0: off)",
});
r("auth.allow-registration", {
  default: false,
  flags: EMPTY | DISK | REQUIRED,
  description: "Allow anyone to sign up",
});

// Beacon
r("beacon.anonymous", {
  type: Bool,
  flags: REQUIRED,
  description: "Send the beacon without contact details",
});

// Filestore
r("filestore.backend", {
  default: "filesystem",
  flags: NOSTORE,
  description: "`filesystem` or `s3`",
});
r("filestore.options", {
  default: { location: "/tmp/sentry-files" },
  flags: NOSTORE,
  description: "Options of the filestore backend",
});
r("filestore.relocation-backend", {
  default: "filesystem",
  flags: NOSTORE,
  description: "Filestore backend for relocations",
});
r("filestore.relocation-options", {
  default: { location: "/tmp/sentry-relocation-files" },
  flags: NOSTORE,
  description: "Options of the relocation filestore",
});
r("filestore.profiles-backend", {
  default: "filesystem",
  flags: NOSTORE,
  description: "Filestore backend for profiles",
});
r("filestore.profiles-options", {
  default: { location: "/tmp/sentry-profiles", allow_overwrite: true },
  flags: NOSTORE,
  description: "Options of the profiles filestore",
});
r("filestore.control.backend", {
  default: "",
  flags: NOSTORE,
  description: "Filestore backend of the control silo",
});
r("filestore.control.options", {
  default: {},
  flags: NOSTORE,
  description: "Options of the control silo filestore",
});

// Symbolicator and chart rendering
r("symbolicator.enabled", {
  default: false,
  flags: EMPTY | DISK | AUTO,
  description: "Use Symbolicator for native events",
});
r("symbolicator.options", {
  default: { url: "http://127.0.0.1:3021" },
  flags: EMPTY | DISK | AUTO,
  description: "Symbolicator URL and options",
});
r("chart-rendering.enabled", {
  default: false,
  flags: EMPTY | DISK | AUTO,
  description: "Render charts with Chartcuterie",
});
r("chart-rendering.chartcuterie", {
  default: { url: "http://127.0.0.1:7901" },
  flags: EMPTY | DISK | AUTO,
  description: "Chartcuterie URL",
});

// SDK / internal telemetry
r("store.use-relay-dsn-sample-rate", {
  default: 1,
  flags: AUTO,
  description: "1 sends internal errors to relay as well; any other value only upstream",
});
r("store.allow-s4s-ddm-sample-rate", {
  type: Float,
  default: 0.0,
  flags: AUTO,
  description: "Rate of statsd items kept in the upstream copy",
});
r("transaction-events.force-disable-internal-project", {
  default: false,
  flags: AUTO,
  description: "Drop every internal envelope",
});
r("sdk_http2_experiment.enabled", {
  default: false,
  flags: AUTO,
  description: "HTTP/2 transport experiment",
});
