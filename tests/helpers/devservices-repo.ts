// A devservices project for e2e tests of supervised programs: a private HOME whose devenv config
// names `<work>/code` as the code root, one repository there with its devservices/config.yml
// (and any other files), SENTRY_CONF at `<work>/state`, and `dev(...)` running sentryctl as
// `devservices` in that repository: the compiled binary through a link of that name (the
// basename decides), else the source's `devservices` subcommand.

import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli, runProgram, sentryctlCommand } from "./cli.ts";

export interface DevResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface DevservicesRepo {
  /** The temporary folder everything is in (the test removes it). */
  work: string;
  home: string;
  /** SENTRY_CONF. */
  state: string;
  /** The repository, `<work>/code/<name>`. */
  repo: string;
  env: Record<string, string>;
  /** `devservices ARGS` in the repository, with `extra` added to the environment. */
  dev(args: string[], extra?: Record<string, string>): Promise<DevResult>;
  /** The program supervisor's pid, from its pid file while there is one. */
  supervisorPid(): number | undefined;
  /** `devservices down`, then SIGTERM to a supervisor still running (a failed test's). */
  stopPrograms(): Promise<void>;
}

export function devservicesRepo(opts: {
  /** Prefix of the temporary folder's name. */
  prefix: string;
  /** The repository's folder name (its service_name in the config). */
  name: string;
  config: string;
  files?: Record<string, string>;
}): DevservicesRepo {
  const work = mkdtempSync(join(tmpdir(), opts.prefix));
  const home = join(work, "home");
  const state = join(work, "state");
  const repo = join(work, "code", opts.name);
  mkdirSync(join(home, ".config", "sentry-devenv"), { recursive: true });
  writeFileSync(
    join(home, ".config", "sentry-devenv", "config.ini"),
    `[devenv]\ncoderoot = ${join(work, "code")}\n`,
  );
  mkdirSync(join(repo, "devservices"), { recursive: true });
  writeFileSync(join(repo, "devservices", "config.yml"), opts.config);
  for (const [file, text] of Object.entries(opts.files ?? {})) {
    writeFileSync(join(repo, file), text);
  }

  const [bin, ...pre] = sentryctlCommand();
  const compiled = pre.length === 0;
  const link = join(work, "devservices");
  if (compiled) symlinkSync(bin!, link);
  const env: Record<string, string> = { HOME: home, CI: "true", NO_COLOR: "1", SENTRY_CONF: state };
  if (process.env.PATH !== undefined) env.PATH = process.env.PATH;

  const dev = (args: string[], extra: Record<string, string> = {}): Promise<DevResult> => {
    const run = { env: { ...env, ...extra }, cwd: repo, timeoutMs: 60_000 };
    return compiled ? runProgram(link, args, run) : runCli(["devservices", ...args], run);
  };

  const supervisorPid = () => {
    const file = join(state, "programs", opts.name, "supervisor.pid");
    return existsSync(file) ? Number(readFileSync(file, "utf8")) : undefined;
  };

  const stopPrograms = async () => {
    await dev(["down"]);
    const pid = supervisorPid();
    if (pid === undefined) return;
    try {
      process.kill(pid, "SIGTERM");
    } catch {
      // Already gone.
    }
  };

  return { work, home, state, repo, env, dev, supervisorPid, stopPrograms };
}
