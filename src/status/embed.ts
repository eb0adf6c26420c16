// `attach --status[=ADDR]`: the status server embedded in a foreground command. Its lines go
// to stderr, because stdout carries the service's own output; a listen failure is an error
// before anything starts.

import type { Writer } from "../runtime/io.ts";
import type { Engine } from "../docker/engine.ts";
import { SentryctlError } from "../errors.ts";
import type { ConfigState } from "../settings/state.ts";
import { statusStartOptions } from "./configure.ts";
import { type StartOptions, startStatusServer } from "./start.ts";
import type { Clock } from "../runtime/clock.ts";

export async function embedStatus(
  state: ConfigState,
  inputs: { env: Record<string, string | undefined>; home: string; stderr: Writer; clock?: Clock },
  project: string,
  bindValue: string,
  docker: Engine,
  /** A project file's services and container rule (src/orchestrator/project/status.ts). */
  stack?: Partial<StartOptions>,
): Promise<{ stop(): Promise<void> }> {
  const opts = { ...statusStartOptions(state, inputs, project, bindValue, docker), ...stack };
  const started = await startStatusServer(opts).catch((e: Error) => {
    if (e instanceof SentryctlError) throw e;
    throw new SentryctlError(
      "failure",
      `cannot listen on ${opts.bind.host}:${opts.bind.port}: ${e.message}`,
      { hint: "choose another address with --status=HOST:PORT", cause: e },
    );
  });
  inputs.stderr.write(
    `Status server on ${started.url} · DSN ${started.dsn}\n` +
      `Dashboard (one-time link): ${started.link}\n`,
  );
  return { stop: () => started.stop() };
}
