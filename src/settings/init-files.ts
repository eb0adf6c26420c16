// `sentryctl init [DIR] [--dev] [--no-clobber] [--force]`: write `config.yml` (with a fresh
// secret key) then `sentry.conf.ts`. An existing file is kept with --no-clobber, overwritten
// with --force, asked about on a terminal; without a terminal init refuses and writes nothing.

import { chmodSync, existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { configError, failure, usageError } from "../errors.ts";
import { OPTIONS_FILE } from "./discover.ts";
import { generateSecretKey } from "./secret-key.ts";
import { configYml, sentryConfTs } from "./templates.ts";

export const SETTINGS_TEMPLATE_FILE = "sentry.conf.ts";

export interface InitOptions {
  dir: string;
  dev: boolean;
  noClobber: boolean;
  force: boolean;
  /** May we ask? (a terminal on stdin and stdout, not CI) */
  interactive: boolean;
  /** Asks `File already exists at '<path>', overwrite?`; resolves to the answer (default No). */
  confirm(question: string): Promise<boolean>;
  /** One line per file: created, overwritten or kept. */
  report(line: string): void;
}

interface Target {
  path: string;
  text: string;
  /** config.yml holds the secret key: owner-only. */
  mode: number;
}

/**
 * Names that Sentry's `discover_configs` treats as the legacy file-path form (`.py`, `.conf`),
 * plus the settings-file extensions of sentryctl (`.ts`, `.yml`, `.yaml`): `init` wants the
 * directory that holds such a file, not the file.
 */
const FILE_LIKE = /\.(py|conf|ts|yml|yaml)$/;

/** Sentry's two refusals for a file-like DIRECTORY (`tests/sentry/runner/commands/test_init.py`). */
export function checkInitDirName(dir: string): void {
  if (!FILE_LIKE.test(basename(dir))) return;
  const isFile = existsSync(dir) && statSync(dir).isFile();
  throw usageError(
    isFile ? `Found legacy '${dir}' file, so aborting.` : "DIRECTORY must not be a file.",
    {
      hint: `'${basename(dir)}' names a settings file; pass the directory that holds it ` +
        `(e.g. 'sentryctl init ${dirname(dir)}')`,
    },
  );
}

export async function initConfigDir(opts: InitOptions): Promise<void> {
  const { dir } = opts;
  checkInitDirName(dir);
  if (existsSync(dir) && !statSync(dir).isDirectory()) {
    throw configError("DIRECTORY must not be a file.", { hint: `${dir} is a file` });
  }
  const context = { secretKey: generateSecretKey(), dev: opts.dev };
  const targets: Target[] = [
    { path: join(dir, OPTIONS_FILE), text: configYml(context), mode: 0o600 },
  ];
  // A sentry.conf.py (from `sentry init`) or sentry.conf.yml already holds the settings; a new
  // sentry.conf.ts would take precedence and silently shadow it, so it is only written on --force.
  const twin = ["sentry.conf.yml", "sentry.conf.py"].map((n) => join(dir, n)).find((p) =>
    existsSync(p)
  );
  const keepTwin = twin !== undefined && !existsSync(join(dir, SETTINGS_TEMPLATE_FILE)) &&
    !opts.force;
  if (!keepTwin) {
    targets.push({
      path: join(dir, SETTINGS_TEMPLATE_FILE),
      text: sentryConfTs(context),
      mode: 0o644,
    });
  }
  const existing = targets.filter((t) => existsSync(t.path));
  if (existing.length > 0 && !opts.noClobber && !opts.force && !opts.interactive) {
    throw failure(
      `File already exists at '${existing[0]!.path}', refusing to overwrite it without a terminal`,
      {
        hint: "pass --no-clobber to keep existing files or --force to overwrite them",
      },
    );
  }
  mkdirSync(dir, { recursive: true });
  for (const target of targets) {
    const exists = existsSync(target.path);
    if (exists && !opts.force) {
      const overwrite = !opts.noClobber &&
        await opts.confirm(`File already exists at '${target.path}', overwrite?`);
      if (!overwrite) {
        opts.report(`Kept ${target.path}`);
        continue;
      }
    }
    writeFileSync(target.path, target.text, { mode: target.mode });
    chmodSync(target.path, target.mode);
    opts.report(`${exists ? "Overwrote" : "Created"} ${target.path}`);
  }
  if (keepTwin) {
    opts.report(
      `Kept ${twin} (a new ${SETTINGS_TEMPLATE_FILE} would shadow it; --force writes one)`,
    );
  }
}
