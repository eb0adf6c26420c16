// A small structured logger writing to stderr, shaped like Sentry's structlog setup: a record is
// an event name plus fields; `human` renders `HH:MM:SS [LEVEL] name: event (k='v')` (Sentry's
// HumanRenderer), `machine` renders one JSON object per line (its JSONRenderer).

import { pyRepr } from "../lib/python.ts";

/** Python's `logging._nameToLevel`: the only accepted SENTRY_LOG_LEVEL values (case-sensitive). */
export const LOG_LEVELS: Readonly<Record<string, number>> = {
  CRITICAL: 50,
  FATAL: 50,
  ERROR: 40,
  WARN: 30,
  WARNING: 30,
  INFO: 20,
  DEBUG: 10,
  NOTSET: 0,
};

const LEVEL_NAMES: Record<number, string> = {
  50: "critical",
  40: "error",
  30: "warning",
  20: "info",
  10: "debug",
};

export type LogFormat = "human" | "machine";
export type Fields = Record<string, unknown>;

export interface LogOutput {
  level: number;
  format: LogFormat;
  write(line: string): void;
  now?(): Date;
}

export class Logger {
  constructor(readonly name: string, private readonly sink: LogOutput) {}

  child(name: string): Logger {
    return new Logger(name, this.sink);
  }

  isEnabledFor(level: number): boolean {
    return level >= this.sink.level && this.sink.level >= 0;
  }

  log(level: number, event: string, fields: Fields = {}): void {
    if (!this.isEnabledFor(level)) return;
    const time = this.sink.now?.() ?? new Date();
    this.sink.write(render(this.sink.format, time, level, this.name, event, fields));
  }

  debug(event: string, fields?: Fields): void {
    this.log(10, event, fields);
  }
  info(event: string, fields?: Fields): void {
    this.log(20, event, fields);
  }
  warning(event: string, fields?: Fields): void {
    this.log(30, event, fields);
  }
  error(event: string, fields?: Fields): void {
    this.log(40, event, fields);
  }
}

export function levelName(level: number): string {
  return LEVEL_NAMES[level] ?? `level ${level}`;
}

export function render(
  format: LogFormat,
  time: Date,
  level: number,
  name: string,
  event: string,
  fields: Fields,
): string {
  if (format === "machine") {
    return JSON.stringify({
      timestamp: time.toISOString(),
      level: levelName(level),
      name,
      event,
      ...fields,
    }, jsonSafe) + "\n";
  }
  const clock = time.toTimeString().slice(0, 8);
  const extra = Object.entries(fields).map(([k, v]) => `${k}=${pyRepr(v)}`).join(" ");
  return `${clock} [${levelName(level).toUpperCase()}] ${name}: ${event}${
    extra ? ` (${extra})` : ""
  }\n`;
}

function jsonSafe(_key: string, value: unknown): unknown {
  if (value instanceof Error) return { type: value.name, message: value.message };
  if (typeof value === "bigint") return value.toString();
  return value;
}

/** A logger that drops everything: used before the chain has configured logging. */
export const NULL_LOGGER = new Logger("sentry", { level: -1, format: "human", write() {} });
