// Starting and stopping a service's supervisor from a command: the first `up` starts it detached
// (its own session, so closing the terminal does not end it) with sentryctl's own executable, and
// every `up` tells it which programs to run; `down` shuts it down.

import { spawn } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync } from "node:fs";
import { join } from "node:path";
import { failure } from "../../errors.ts";
import { type Clock, realClock } from "../../runtime/clock.ts";
import { poll } from "../../runtime/poll.ts";
import type { ProgramSpec } from "../config.ts";
import { type Answer, socketPath, tryRequest } from "./protocol.ts";

export interface LaunchInput {
  dir: string;
  /** How to run this executable again: `[binary]` or `[runtime, main.ts]`. */
  self: string[];
  programs: ProgramSpec[];
  repoDir: string;
  env: Record<string, string>;
  clock?: Clock;
}

/**
 * A supervisor just spawned is asked again after 50 ms, each pause 5 ms longer than the one
 * before, 100 times (about 30 s in all).
 */
const START_PAUSES = Array.from({ length: 100 }, (_, i) => 50 + i * 5);
/** After `shutdown`, its socket is watched for removal every 50 ms, up to 400 times (20 s). */
const SHUTDOWN_POLL_MS = 50;
const SHUTDOWN_POLLS = 400;

export async function ensureSupervisor(input: LaunchInput): Promise<Answer> {
  const req = {
    op: "ensure" as const,
    programs: input.programs,
    repoDir: input.repoDir,
    env: input.env,
  };
  const running = await tryRequest(input.dir, req);
  if (running?.ok) return running;
  mkdirSync(input.dir, { recursive: true, mode: 0o700 });
  const out = openSync(join(input.dir, "supervisor.log"), "a");
  const child = spawn(input.self[0]!, [
    ...input.self.slice(1),
    "devservices",
    "__supervise",
    input.dir,
  ], {
    detached: true,
    stdio: ["ignore", out, out],
    env: input.env,
  });
  closeSync(out);
  child.unref();
  const answer = await poll(
    async () => {
      const answer = await tryRequest(input.dir, req);
      return answer?.ok ? answer : undefined;
    },
    { every: START_PAUSES, pauseFirst: true, clock: input.clock },
  );
  if (answer) return answer;
  throw failure(`The programs supervisor did not start (see ${join(input.dir, "supervisor.log")})`);
}

/** Stops every program and the supervisor; false when none was running. */
export async function stopSupervisor(dir: string, clock: Clock = realClock): Promise<boolean> {
  const answer = await tryRequest(dir, { op: "shutdown" });
  if (!answer) return false;
  // Gone or not after that, the supervisor was told: a socket left behind is its own to clear.
  await poll(() => existsSync(socketPath(dir)) ? undefined : true, {
    every: SHUTDOWN_POLL_MS,
    attempts: SHUTDOWN_POLLS,
    clock,
  });
  return true;
}
