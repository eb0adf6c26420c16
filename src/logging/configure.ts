// `configure_structlog()`: the log format from SENTRY_LOG_FORMAT (lower-cased into the
// `system.logging-format` option) or the option, and the level from SENTRY_LOG_LEVEL with
// Sentry's case-sensitive check.

import { configError } from "../errors.ts";
import { LOG_LEVELS, type LogFormat, Logger } from "./logger.ts";

/** Sentry's `LOGGING["default_level"]`. */
export const DEFAULT_LEVEL = "INFO";

export interface LoggingInputs {
  env: Record<string, string | undefined>;
  /** The `system.logging-format` option after bootstrap. */
  formatOption: unknown;
  verbose: boolean;
  write(line: string): void;
}

export interface LoggingSetup {
  logger: Logger;
  format: LogFormat;
  level: string;
  /** The lower-cased SENTRY_LOG_FORMAT, which becomes the `system.logging-format` option. */
  formatFromEnv?: string;
  /** Set when the format is neither `human` nor `machine`. */
  unknownFormat?: string;
}

export function configureLogging(inputs: LoggingInputs): LoggingSetup {
  const fromEnv = inputs.env.SENTRY_LOG_FORMAT;
  const formatFromEnv = fromEnv ? fromEnv.toLowerCase() : undefined;
  const requested = formatFromEnv ?? inputs.formatOption;
  // Sentry renders nothing special for an unknown format; sentryctl falls back to human.
  const format: LogFormat = requested === "machine" ? "machine" : "human";
  const unknownFormat = requested === "human" || requested === "machine"
    ? undefined
    : String(requested);

  const lvl = inputs.env.SENTRY_LOG_LEVEL;
  if (lvl && !Object.hasOwn(LOG_LEVELS, lvl)) {
    throw configError(`${lvl} is not a valid logging level.`, {
      hint: `SENTRY_LOG_LEVEL takes one of ${
        Object.keys(LOG_LEVELS).join(", ")
      } (upper case, as Python's logging)`,
    });
  }
  const level = lvl || (inputs.verbose ? "DEBUG" : DEFAULT_LEVEL);
  const logger = new Logger("sentry", { level: LOG_LEVELS[level]!, format, write: inputs.write });
  return { logger, format, level, formatFromEnv, unknownFormat };
}
