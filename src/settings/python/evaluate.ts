// Reads a `sentry.conf.py` by running it under `python3` (PYTHON_RUNNER) against a stand-in
// `sentry.conf.server` made from sentryctl's defaults, in a child process with a deadline.
// Returns the UPPERCASE settings the file changed, as data; a Python error becomes Sentry's
// `ConfigurationError` wording with the file:line from the traceback; no python3 → undefined.

import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { configError } from "../../errors.ts";
import { runCaptured } from "../../runtime/child.ts";
import type { Settings } from "../defaults.ts";
import { positionedMessage } from "../../formats/yaml-file.ts";
import { PYTHON_RUNNER } from "./runner.ts";
import { standInExtras } from "./stand-in.ts";

/** Seconds a settings file may take to evaluate (imports, `env()`, helper functions). */
export const PY_SETTINGS_TIMEOUT_MS = 10_000;

export interface PyEvaluation {
  /** Names whose value differs from the stand-in defaults, as plain data. */
  overrides: Settings;
  /** UPPERCASE names whose value is not plain data (functions, classes, sets…): not applied. */
  skipped: { name: string; reason: string }[];
  /** What the file printed (its stdout and stderr), for the user to see. */
  printed: string;
}

export interface PyRequest {
  path: string;
  /** The stand-in `sentry.conf.server`: sentryctl's default settings. */
  defaults: Settings;
  /** `SENTRY_DEVSERVICES` as plain data (the built-in catalog's specs). */
  devservices: Record<string, unknown>;
  env: Record<string, string | undefined>;
  /** The interpreter: `$SENTRYCTL_PYTHON`, else `python3` from PATH. */
  python?: string;
  timeoutMs?: number;
}

interface Answer {
  settings?: Settings;
  skipped?: { name: string; reason: string }[];
  error?: { type: string; message: string; line: number | null; col: number | null };
}

/** Undefined when no Python interpreter could be started. */
export async function evaluatePySettings(req: PyRequest): Promise<PyEvaluation | undefined> {
  const python = req.python ?? req.env.SENTRYCTL_PYTHON ?? "python3";
  const timeoutMs = req.timeoutMs ?? PY_SETTINGS_TIMEOUT_MS;
  const marker = `--sentryctl-answer-${randomUUID()}--`;
  const result = await runCaptured({
    command: python,
    // -B: no __pycache__ next to the user's file; -c: the runner itself is not a file on disk.
    args: ["-B", "-c", PYTHON_RUNNER],
    env: { ...req.env, PYTHONIOENCODING: "utf-8" },
    input: JSON.stringify({
      path: req.path,
      defaults: req.defaults,
      extras: standInExtras(),
      devservices: req.devservices,
      marker,
    }),
    timeoutMs,
  });
  if (result.notFound) return undefined;
  const hint =
    `${req.path} is evaluated with ${python}; fix it, or move the settings to sentry.conf.ts`;
  if (result.timedOut) {
    throw configError(
      `${req.path}: evaluating the settings file took longer than ${timeoutMs / 1000} s`,
      { hint },
    );
  }
  let answer: Answer;
  const at = result.stdout.lastIndexOf(`\n${marker}\n`);
  // Whatever the file wrote to fd 1 itself (os.write, a subprocess) precedes the marker.
  const stray = at > 0 ? result.stdout.slice(0, at) : "";
  try {
    if (at < 0) throw new Error("no answer");
    answer = JSON.parse(result.stdout.slice(at + marker.length + 2)) as Answer;
  } catch {
    const last = result.stderr.trim().split("\n").slice(-3).join("\n");
    throw configError(
      `${req.path}: ${python} did not evaluate the settings file (exit ${
        result.code ?? result.signal
      })`,
      { details: last || undefined, hint },
    );
  }
  if (answer.error) throw pyError(req.path, answer.error, hint);
  return {
    overrides: answer.settings ?? {},
    skipped: answer.skipped ?? [],
    printed: (stray ? `${stray}\n` : "") + result.stderr,
  };
}

/**
 * Sentry's importer turns any exception into `ConfigurationError("<Type>: <message>")` (just the
 * type for an empty message); the traceback's line in the file is added with the source line.
 */
function pyError(path: string, error: NonNullable<Answer["error"]>, hint: string) {
  const text = error.message ? `${error.type}: ${error.message}` : error.type;
  const reason = `ConfigurationError: ${text}`;
  if (error.line) {
    let source = "";
    try {
      source = readFileSync(path, "utf8");
    } catch { /* the line is still worth naming */ }
    const line = source.split(/\r?\n/)[error.line - 1] ?? "";
    const col = error.col ?? (line.length - line.trimStart().length + 1);
    const { message, details } = positionedMessage(path, source, error.line, col, reason);
    return configError(message, { details: source ? details : undefined, hint });
  }
  return configError(`${path}: ${reason}`, { hint });
}
