// `with SERVICE… -- CMD` (SPEC §4): bring the services up and healthy, run CMD with their
// addresses in its environment, forward signals to it, tear an isolated project down, and
// return CMD's status. The engine side (`StackRunner`) and the child runner are passed in, so the
// sequencing — especially what happens on a signal at each stage — is unit-tested with fakes.

import type { Writer } from "../runtime/io.ts";
import { SentryctlError } from "../errors.ts";
import type { ProcessSignal, Signals } from "../runtime/io.ts";
import type { ChildResult, ChildSpec } from "../runtime/spawn.ts";
import { type ServiceEndpoint, serviceEnv } from "./env.ts";

export interface StackRequest {
  project: string;
  services: readonly string[];
  /** Ephemeral ports, owner/session labels, no restart policy. */
  isolated: boolean;
  /** The session label value (isolated runs only). */
  session?: string;
  timeoutSeconds: number;
  signal: AbortSignal;
}

export interface StackRunner {
  /** Creates and starts what is missing, waits for every probe; the published ports. */
  up(req: StackRequest): Promise<ServiceEndpoint[]>;
  /** Removes every container, volume and network of the project. */
  teardown(project: string): Promise<void>;
}

/** The stack of a run without services: nothing to start or remove. */
export const NO_SERVICES: StackRunner = {
  up: () => Promise.resolve([]),
  teardown: () => Promise.resolve(),
};

export interface WithRequest {
  project: string;
  isolated: boolean;
  /** Leave an isolated project behind (for debugging a failed job). */
  keep: boolean;
  services: readonly string[];
  command: string;
  args: readonly string[];
  timeoutSeconds: number;
  session?: string;
}

export interface WithDeps {
  stack: StackRunner;
  runChild(spec: ChildSpec): Promise<ChildResult>;
  signals: Signals;
  /** Which signals reach the child (SIGINT is left out when a terminal delivers it itself). */
  forward: readonly ProcessSignal[];
  /** The environment CMD inherits; the service variables are added on top. */
  env: Record<string, string | undefined>;
  cwd?: string;
  stderr: Writer;
  /**
   * Variables for a local status server, when one answers (`SENTRY_SPOTLIGHT`, `SENTRY_DSN`):
   * looked up while the services start; never overrides what CMD already inherits.
   */
  statusEnv?: Promise<Record<string, string>>;
}

const SIGNALS: readonly ProcessSignal[] = ["SIGINT", "SIGTERM", "SIGHUP"];

export async function runWith(req: WithRequest, deps: WithDeps): Promise<number> {
  const setup = new AbortController();
  let stage: "setup" | "child" | "teardown" = "setup";
  const onSignal = (sig: ProcessSignal) => () => {
    if (stage === "setup") {
      setup.abort(
        new SentryctlError(
          "aborted",
          `Interrupted (${sig}) while starting ${req.services.join(", ")}`,
          {
            hint: req.isolated
              ? `what was started is being removed`
              : "nothing that was already running was stopped",
          },
        ),
      );
    } else if (stage === "teardown") {
      deps.stderr.write(
        `> Still removing '${req.project}'; the next sentryctl command removes what is left\n`,
      );
    }
    // While the child runs, the runner forwards the signal; nothing to do here.
  };
  const handlers = SIGNALS.map((sig) => [sig, onSignal(sig)] as const);
  for (const [sig, h] of handlers) deps.signals.on(sig, h);

  const cleanUp = async () => {
    if (!req.isolated) return;
    if (req.keep) {
      deps.stderr.write(
        `> Keeping '${req.project}' (--keep); remove it with 'sentryctl --project ${req.project} rm -y'\n`,
      );
      return;
    }
    stage = "teardown";
    deps.stderr.write(`> Removing '${req.project}'\n`);
    try {
      await deps.stack.teardown(req.project);
    } catch (err) {
      // CMD's status is what the caller wants; what is left is an orphan the next command removes.
      deps.stderr.write(`warning: could not remove '${req.project}': ${(err as Error).message}\n`);
    }
  };

  try {
    let endpoints: ServiceEndpoint[];
    try {
      endpoints = await deps.stack.up({
        project: req.project,
        services: req.services,
        isolated: req.isolated,
        session: req.session,
        timeoutSeconds: req.timeoutSeconds,
        signal: setup.signal,
      });
      if (setup.signal.aborted) throw setup.signal.reason;
    } catch (err) {
      await cleanUp();
      throw setup.signal.aborted ? setup.signal.reason : err;
    }
    stage = "child";
    for (const e of endpoints) {
      if (e.ports.length === 0) continue;
      const where = e.ports.map((p) => `${p.hostIp}:${p.hostPort} (${p.containerPort})`);
      deps.stderr.write(`> ${e.service} on ${where.join(", ")}\n`);
    }
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(deps.env)) if (v !== undefined) env[k] = v;
    Object.assign(env, serviceEnv(endpoints));
    const statusEnv: Record<string, string> = await deps.statusEnv?.catch(() => ({})) ?? {};
    for (const [k, v] of Object.entries(statusEnv)) {
      if (env[k] === undefined || env[k] === "") env[k] = v;
    }
    const result = await deps.runChild({
      command: req.command,
      args: req.args,
      env,
      cwd: deps.cwd,
      signals: deps.signals,
      forward: deps.forward,
    });
    if (result.kind === "not-started") deps.stderr.write(`error: ${result.message}\n`);
    await cleanUp();
    return result.status;
  } finally {
    for (const [sig, h] of handlers) deps.signals.off(sig, h);
  }
}
